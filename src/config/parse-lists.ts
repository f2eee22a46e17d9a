import { isIPv4, isIPv6 } from 'node:net';

/** Comma-separated IP addresses or CIDR ranges (`192.0.2.10, 198.51.100.0/24, 2001:db8::/32`). */
export function parseAddressList(value: string): readonly string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    const [address = '', bits, extra] = item.split('/');
    const v4 = isIPv4(address);
    if (extra !== undefined || (!v4 && !isIPv6(address))) throw new Error(`"${item}" is not an IP address or CIDR range`);
    if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > (v4 ? 32 : 128))) throw new Error(`"${item}" has a bad prefix length`);
  }
  return items;
}

/** Comma-separated words (matched case-insensitively); `none` is the empty list. */
export function parseWordList(value: string): readonly string[] {
  if (value.trim().toLowerCase() === 'none') return [];
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new Error('expected comma-separated words, or none');
  return items;
}
