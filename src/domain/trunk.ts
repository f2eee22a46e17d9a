import type { CountryCode } from 'libphonenumber-js';
import { inCidr, parseCidr } from './trunk-cidr.ts';

/** How SIP reaches the carrier. */
export type TrunkTransport = 'udp' | 'tcp';

/**
 * A carrier trunk as the operator configured it. The digest password is never part of this
 * record: it is sealed in storage and only the dialler opens it (see {@link TrunkSecret}).
 */
export interface Trunk {
  readonly id: string;
  readonly name: string;
  /** The account whose dial-outs go through it; null: every account without its own trunk. */
  readonly accountId: string | null;
  /** Country of numbers the carrier sends or expects in national format. */
  readonly country: CountryCode | null;
  /** Address ranges its inbound calls come from (CIDR). */
  readonly inboundCidrs: readonly string[];
  /** Where outbound INVITEs go (`sip:host:port`); null: inbound only. */
  readonly outboundUri: string | null;
  readonly transport: TrunkTransport;
  readonly username: string | null;
  /** Whether a digest password is stored (the value is never shown). */
  readonly hasPassword: boolean;
  /** Caller IDs it may present (E.164); empty: the account's service numbers only. */
  readonly callerIds: readonly string[];
  /** Outbound legs at once through this trunk. */
  readonly maxConcurrent: number;
  readonly createdAt: string;
}

/** A DID the carrier delivers and the service number it stands for. */
export interface TrunkDid {
  /** E.164. */
  readonly did: string;
  readonly trunkId: string;
  readonly serviceNumber: string;
}

/** The trunk's faults since start: what the health endpoint shows. */
export interface TrunkHealth {
  readonly trunkId: string;
  readonly name: string;
  readonly errors: number;
  readonly lastError: string | null;
}

/** The trunk whose ranges hold `address`, or null. The first listed wins. */
export function trunkForSource(trunks: readonly Trunk[], address: string): Trunk | null {
  return trunks.find((t) => t.inboundCidrs.some((c) => {
    const range = parseCidr(c);
    return range !== null && inCidr(range, address);
  })) ?? null;
}

/**
 * The caller ID a dial presents: the one asked for when the trunk allows it (or it is one of
 * the account's service numbers), else the room's service number. Null: the trunk allows
 * neither, and the call goes out withheld.
 */
export function presentedCallerId(trunk: Trunk, asked: string | null, roomServiceNumber: string | null, accountNumbers: readonly string[]): string | null {
  const allowed = (n: string): boolean => trunk.callerIds.includes(n) || (trunk.callerIds.length === 0 && accountNumbers.includes(n));
  if (asked !== null && allowed(asked)) return asked;
  if (roomServiceNumber !== null && allowed(roomServiceNumber)) return roomServiceNumber;
  return null;
}
