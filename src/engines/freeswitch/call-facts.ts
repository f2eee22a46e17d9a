import type { CallFacts, NameAddr, SipTransport } from '../../ports/call-facts.ts';
import { parseNameAddr, splitHeaderValues, toNameAddr, uriUser } from './name-addr.ts';
import { firstHeaderValues } from './raw-headers.ts';

/** The parts of a drachtio-srf request this module reads (the real `SrfRequest` fits). */
export interface RequestLike {
  readonly uri: string;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly source_address: string;
  readonly source_port: number;
  readonly protocol: string;
  /** The message as received (drachtio-srf's `req.raw`), when available. */
  readonly raw?: string;
  get(name: string): string | undefined;
}

const EMPTY: NameAddr = { uri: '', user: '' };

function header(req: RequestLike, name: string): string {
  // drachtio's `get` is case-insensitive; never use getParsedHeader (it throws on absence).
  const value = req.get(name);
  return typeof value === 'string' ? value : '';
}

/** Without the raw text: drachtio's parsed headers, repeated ones comma-joined (the fallback when the raw text is absent). */
function joinedHeaders(req: RequestLike): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== 'string') continue;
    const key = name.toLowerCase();
    if (!Object.hasOwn(headers, key)) headers[key] = value;
  }
  return headers;
}

function transportOf(protocol: string): SipTransport {
  const p = protocol.toLowerCase();
  if (p === 'tcp' || p === 'tls' || p === 'ws') return p;
  if (p === 'wss') return 'ws';
  return 'udp';
}

/**
 * Extracts the SIP facts of an inbound INVITE as drachtio-srf delivers it. Absent or broken
 * headers give empty values, never an exception; no privacy policy is applied here.
 */
export function extractCallFacts(req: RequestLike): CallFacts {
  const fromParsed = parseNameAddr(header(req, 'from'));
  const toParsed = parseNameAddr(header(req, 'to'));
  const pai = splitHeaderValues(header(req, 'p-asserted-identity'))
    .map(parseNameAddr)
    .filter((v) => v !== undefined)
    .map(toNameAddr);
  const rpidValue = splitHeaderValues(header(req, 'remote-party-id'))[0];
  const rpid = rpidValue === undefined ? undefined : parseNameAddr(rpidValue);
  const privacy = header(req, 'privacy')
    .split(/[;,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
  // Every header, lower-cased name → first value (the port), like the embedded engine.
  const headers = typeof req.raw === 'string' && req.raw !== '' ? firstHeaderValues(req.raw) : joinedHeaders(req);
  return {
    callId: header(req, 'call-id'),
    requestUri: req.uri,
    dialledNumber: uriUser(req.uri),
    from: fromParsed ? toNameAddr(fromParsed) : EMPTY,
    to: toParsed ? toNameAddr(toParsed) : EMPTY,
    pAssertedIdentity: pai,
    ...(rpid === undefined ? {} : { remotePartyId: { ...toNameAddr(rpid), params: rpid.params } }),
    privacy,
    source: { address: req.source_address, port: req.source_port },
    transport: transportOf(req.protocol),
    headers,
  };
}
