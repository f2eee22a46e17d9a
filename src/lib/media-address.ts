/**
 * Whether an SDP connection address (RFC 4566 §5.7) is one we may send RTP to: an IP literal
 * of the family the `c=` line states. A hostname would need a DNS look-up an attacker
 * controls; multicast, broadcast and reserved addresses turn us into an amplifier. Both
 * engines check offers with it before answering (488 otherwise).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** What is wrong with a connection address, or undefined when it is usable. */
export function mediaAddressProblem(address: string, family: 4 | 6 | undefined, options: { allowUnspecified: boolean }): string | undefined {
  const want = family ?? (address.includes(':') ? 6 : 4);
  if (want === 4) {
    if (!isIPv4(address)) return isIPv6(address) ? 'c= address is not IPv4' : 'c= address is not an IPv4 literal';
    const first = Number(address.split('.')[0]);
    if (address === '0.0.0.0') return options.allowUnspecified ? undefined : 'c= address is unspecified';
    if (first === 0) return 'c= address is reserved';
    if (first >= 224 && first <= 239) return 'c= address is multicast';
    if (first >= 240) return 'c= address is broadcast or reserved';
    return undefined;
  }
  if (!isIPv6(address)) return isIPv4(address) ? 'c= address is not IPv6' : 'c= address is not an IPv6 literal';
  const lower = address.toLowerCase();
  if (lower === '::' || /^(0{1,4}:){7}0{1,4}$/.test(lower)) return options.allowUnspecified ? undefined : 'c= address is unspecified';
  if (lower.startsWith('ff')) return 'c= address is multicast';
  return undefined;
}
