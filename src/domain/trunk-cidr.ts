/**
 * Address ranges (CIDR, RFC 4632; IPv6 RFC 4291 §2.3) a carrier sends its calls from.
 * Pure: addresses are parsed here, not with `node:net`, so the domain stays Node-free.
 */

/** An address as a big integer with its family's width. */
interface Address {
  readonly bits: 32 | 128;
  readonly value: bigint;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  // An IPv4-mapped tail (::ffff:192.0.2.1) becomes two groups.
  let body = text;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const tail = parseV4(v4[2] ?? '');
    if (tail === null) return null;
    body = `${v4[1] ?? ''}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  return value;
}

/** Parses an IPv4 or IPv6 address; null when it is neither. */
export function parseAddress(text: string): Address | null {
  const v4 = parseV4(text);
  if (v4 !== null) return { bits: 32, value: v4 };
  if (!text.includes(':')) return null;
  const v6 = parseV6(text);
  return v6 === null ? null : { bits: 128, value: v6 };
}

/** A range: its network address and prefix length. */
export interface Cidr {
  readonly network: Address;
  readonly prefix: number;
}

/** Parses `192.0.2.0/24`, `2001:db8::/32` or a single address (a /32 or /128); null when malformed or host bits are set. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return null;
  const network = parseAddress(addr);
  if (network === null) return null;
  const prefix = len === undefined ? network.bits : /^\d{1,3}$/.test(len) ? Number(len) : -1;
  if (prefix < 0 || prefix > network.bits) return null;
  const hostBits = BigInt(network.bits - prefix);
  if ((network.value & ((1n << hostBits) - 1n)) !== 0n) return null;
  return { network, prefix };
}

/** Whether `address` (text) lies in `range`; an IPv4-mapped IPv6 source matches IPv4 ranges. */
export function inCidr(range: Cidr, address: string): boolean {
  let a = parseAddress(address);
  if (a === null) return false;
  if (a.bits === 128 && range.network.bits === 32 && a.value >> 32n === 0xffffn) a = { bits: 32, value: a.value & 0xffffffffn };
  if (a.bits !== range.network.bits) return false;
  const shift = BigInt(a.bits - range.prefix);
  return a.value >> shift === range.network.value >> shift;
}
