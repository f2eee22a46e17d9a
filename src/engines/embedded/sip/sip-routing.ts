/** Where requests and responses go (RFC 3261 §18.2.2 responses, §8.1.2 / RFC 3263 requests). */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { AppError } from '../../../lib/errors.ts';
import { getHeader, header, splitCommaList, type SipRequest } from './sip-message.ts';
import type { SipPeer } from './sip-transport.ts';
import { parseSipUri } from './sip-uri.ts';
import { parseVia } from './via.ts';

/**
 * Stamps the top Via with `received` and `rport` (§18.2.1, RFC 3581 §4) and returns where
 * responses to this request go: the arrival connection for TCP; the source address and
 * rport (or the sent-by port) for UDP.
 */
export function stampViaAndResponseTarget(request: SipRequest, source: SipPeer): SipPeer {
  const idx = request.headers.findIndex((h) => h.key === 'via');
  const line = idx < 0 ? undefined : request.headers[idx];
  if (!line) return source;
  const values = splitCommaList(line.value);
  const top = values[0];
  const via = top === undefined ? undefined : parseVia(top);
  if (!via || top === undefined) return source;
  let stamped = top;
  const hasRport = 'rport' in via.params;
  if (hasRport) stamped = stamped.replace(/;\s*rport(=[^;]*)?/i, `;rport=${String(source.port)}`);
  if (via.host !== source.address && !('received' in via.params)) stamped += `;received=${source.address}`;
  values[0] = stamped;
  request.headers[idx] = header(line.name, values.join(', '));
  if (source.transport === 'tcp') return source;
  const port = hasRport ? source.port : (via.port ?? 5060);
  return { transport: 'udp', address: source.address, port };
}

/** Resolves a SIP URI to a transport address (A/AAAA look-up only; no NAPTR/SRV). */
export async function resolveUri(uri: string, defaultTransport: 'udp' | 'tcp' = 'udp'): Promise<SipPeer> {
  const parsed = parseSipUri(uri);
  if (!parsed || parsed.scheme === 'tel' || parsed.host === '') {
    throw new AppError('DIAL_FAILED', 'unroutable SIP URI', { details: { status: 416, reason: 'Unsupported URI Scheme' } });
  }
  const transportParam = parsed.params.transport?.toLowerCase();
  const transport = transportParam === 'tcp' ? 'tcp' : transportParam === 'udp' ? 'udp' : defaultTransport;
  let host = parsed.host.replace(/^\[|\]$/g, '');
  if (net.isIP(host) === 0) {
    try {
      host = (await lookup(host)).address;
    } catch (err) {
      throw new AppError('DIAL_FAILED', 'SIP host not found', { cause: err, details: { status: 503, reason: 'DNS Failure' } });
    }
  }
  return { transport, address: host, port: parsed.port ?? 5060 };
}

/** The request's Call-ID (present on every parsed request). */
export function callIdOf(request: { readonly headers: SipRequest['headers'] }): string {
  return getHeader(request, 'call-id') ?? '';
}
