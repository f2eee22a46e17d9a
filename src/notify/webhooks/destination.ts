import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../lib/errors.ts';

/**
 * Where webhooks may not go unless the operator allows it (WEBHOOK_ALLOW_PRIVATE): the
 * loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * unique-local, multicast, reserved and unspecified ranges — a customer must not be able to
 * make the server call its own or its neighbours' internal services (SSRF).
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address (v4, v6, or v4-mapped v6) is in a range webhooks may not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** The host of a URL as an address would be written (IPv6 without brackets). */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

const refused = (why: string): AppError => new AppError('WEBHOOK_DESTINATION_REFUSED', why, { details: { field: 'url' } });

/**
 * Checks a webhook URL before it is saved or tested: http(s) only, no credentials, and — unless
 * private destinations are allowed — a host that resolves, only to public addresses. Throws
 * `WEBHOOK_DESTINATION_REFUSED` saying why.
 */
export async function checkDestination(raw: string, allowPrivate: boolean, resolve: (host: string) => Promise<string[]> = resolveAll): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('the url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused('the url must be http or https');
  if (url.username !== '' || url.password !== '') throw refused('the url must not hold credentials: the signature authenticates the server');
  if (url.hash !== '') throw refused('the url must not have a #fragment');
  if (allowPrivate) return url;
  const host = hostOf(url);
  const addresses = isIP(host) === 0 ? await resolve(host).catch(() => []) : [host];
  if (addresses.length === 0) throw refused(`the host ${host} does not resolve`);
  if (addresses.some(isPrivateAddress)) throw refused('the url points at a loopback, private or reserved address (the operator can allow these with WEBHOOK_ALLOW_PRIVATE=true)');
  return url;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err !== null) reject(err);
      else resolve(addresses.map((a) => a.address));
    });
  });
}

/**
 * A `lookup` for the HTTP client's sockets that refuses private addresses at connect time,
 * so a name that resolved to a public address when it was saved cannot be pointed at an
 * internal one later (DNS rebinding). With `allowPrivate` it is the system's lookup.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err !== null) {
        callback(err, '', 0);
        return;
      }
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'WEBHOOK_DESTINATION_REFUSED' }), '', 0);
        return;
      }
      if (options.all === true) {
        (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, usable);
        return;
      }
      const first = usable[0];
      if (first !== undefined) callback(null, first.address, first.family);
    });
  };
}

/** Throws when a literal-IP URL is private (the lookup is not consulted for those). */
export function refuseLiteralPrivate(url: URL, allowPrivate: boolean): void {
  const host = hostOf(url);
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) throw refused('the url points at a loopback, private or reserved address');
}
