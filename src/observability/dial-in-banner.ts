import type { AddressInfo } from 'node:net';
import type { DemoApiKey } from '../config/demo-api-key.ts';

/** What a newcomer needs to dial in, printed once the server is up. */
export interface DialInDetails {
  readonly engine: string;
  readonly sip: { readonly host: string; readonly port: number } | undefined;
  /** Whether SIP also listens on TCP (embedded engine). */
  readonly sipTcp?: boolean;
  readonly http: AddressInfo | string | null;
  readonly serviceNumber: string;
  readonly participantPin: string;
  readonly hostPin: string;
  readonly apiKey: DemoApiKey;
  /** Where the operator key is kept (null when OPERATOR_API_KEY gives it). */
  readonly operatorKeyFile: string | null;
}

/**
 * How to use the API key. Printed in full only by the start that generated it; afterwards
 * the banner points at the file (or the setting) instead, so the key is not repeated in
 * every log a process manager keeps.
 */
function apiKeyLines(apiKey: DemoApiKey): [text: string, bearer: string] {
  switch (apiKey.source) {
    case 'generated':
      return [`${apiKey.key}   (generated now; kept in ${apiKey.file ?? 'DATA_DIR/demo-api-key'})`, apiKey.key];
    case 'file':
      return [`kept in ${apiKey.file ?? 'DATA_DIR/demo-api-key'}`, `$(cat ${apiKey.file ?? 'DATA_DIR/demo-api-key'})`];
    case 'setting':
      return ['the value of DEMO_API_KEY', '$DEMO_API_KEY'];
  }
}

/** Prints the dial-in details (deliberately not through the logger, which redacts PINs). */
export function printDialInDetails(out: NodeJS.WritableStream, d: DialInDetails): void {
  const http = typeof d.http === 'object' && d.http !== null ? `http://${d.http.address}:${String(d.http.port)}` : String(d.http);
  const sip = d.sip ? `${d.sip.host}:${String(d.sip.port)}` : '(engine address)';
  const [key, bearer] = apiKeyLines(d.apiKey);
  out.write(
    [
      '',
      `dialbridge is running (${d.engine} engine)`,
      `  Dial:             sip:${d.serviceNumber}@${sip}  (${d.sipTcp === false ? 'UDP' : 'UDP or TCP'})`,
      `  Participant PIN:  ${d.participantPin}`,
      `  Host PIN:         ${d.hostPin}`,
      `  API:              ${http}/v1/rooms   (docs: ${http}/docs)`,
      `  API key:          ${key}`,
      `  Try:              curl -H "authorization: Bearer ${bearer}" ${http}/v1/rooms`,
      `  Operator key:     ${d.operatorKeyFile === null ? 'the value of OPERATOR_API_KEY' : `kept in ${d.operatorKeyFile}`}   (accounts, service numbers: docs/administration.md)`,
      `  A second room:    curl -H "authorization: Bearer ${bearer}" -H 'content-type: application/json' \\`,
      `                      -d '{"name": "Second room", "serviceNumber": "${d.serviceNumber}"}' ${http}/v1/rooms`,
      `                    (the answer holds the new room's PINs, shown this once)`,
      '',
    ].join('\n'),
  );
}
