import type { AddressInfo } from 'node:net';

/** What a newcomer needs to dial in, printed once the server is up. */
export interface DialInDetails {
  readonly engine: string;
  readonly sip: { readonly host: string; readonly port: number } | undefined;
  readonly http: AddressInfo | string | null;
  readonly serviceNumber: string;
  readonly participantPin: string;
  readonly hostPin: string;
  readonly apiKey: string;
  readonly apiKeyGenerated: boolean;
  /** Where the operator key is kept (null when OPERATOR_API_KEY gives it). */
  readonly operatorKeyFile: string | null;
}

/** Prints the dial-in details (deliberately not through the logger, which redacts PINs). */
export function printDialInDetails(out: NodeJS.WritableStream, d: DialInDetails): void {
  const http = typeof d.http === 'object' && d.http !== null ? `http://${d.http.address}:${String(d.http.port)}` : String(d.http);
  const sip = d.sip ? `${d.sip.host}:${String(d.sip.port)}` : '(engine address)';
  out.write(
    [
      '',
      `dialbridge is running (${d.engine} engine)`,
      `  Dial:             sip:${d.serviceNumber}@${sip}  (UDP or TCP)`,
      `  Participant PIN:  ${d.participantPin}`,
      `  Host PIN:         ${d.hostPin}`,
      `  API:              ${http}/v1/rooms   (docs: ${http}/docs)`,
      `  API key:          ${d.apiKey}${d.apiKeyGenerated ? '   (generated; kept in DATA_DIR/demo-api-key)' : ''}`,
      `  Try:              curl -H 'authorization: Bearer ${d.apiKey}' ${http}/v1/rooms`,
      `  Operator key:     ${d.operatorKeyFile ?? 'given by OPERATOR_API_KEY'}   (accounts and service numbers: see docs/administration.md)`,
      `  A second room:    curl -H 'authorization: Bearer ${d.apiKey}' -H 'content-type: application/json' \\`,
      `                      -d '{"name": "Second room", "serviceNumber": "${d.serviceNumber}"}' ${http}/v1/rooms`,
      `                    (the answer holds the new room's PINs, shown this once)`,
      '',
    ].join('\n'),
  );
}
