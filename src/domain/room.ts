import type { RoomSettings, RoomSummary } from './access.ts';
import type { LegRole } from './live-view.ts';

/** A PIN as stored: its keyed hash (HMAC with a server secret) and how many digits it has. */
export interface PinDigest {
  readonly hash: string;
  readonly length: number;
}

/** A room with its secrets (storage and the join flow only; never sent to a client). */
export interface Room extends RoomSummary {
  readonly participantPin: PinDigest;
  readonly hostPin: PinDigest;
}

/** Settings of a new room. */
export const DEFAULT_ROOM_SETTINGS: RoomSettings = {
  waitForHost: true,
  joinMuted: false,
  maxMembers: 50,
  endWhenHostLeavesAfterSeconds: 60,
  announceNames: true,
  entryExitTones: true,
};

/** Strips the PINs off a room. */
export function toSummary(room: Room): RoomSummary {
  return {
    id: room.id,
    accountId: room.accountId,
    ownerUserId: room.ownerUserId,
    name: room.name,
    serviceNumber: room.serviceNumber,
    settings: room.settings,
  };
}

/** A PIN is 4–12 digits. */
export function isValidPin(pin: string): boolean {
  return /^[0-9]{4,12}$/.test(pin);
}

/**
 * Which room and role a PIN opens among the rooms on one service number. PINs are unique per
 * service number (see {@link pinConflict}), so at most one room matches. `hashPin` is the
 * keyed hash the PINs were stored with; the entered digits are hashed once and compared.
 */
export function matchPin(
  rooms: readonly Room[],
  serviceNumber: string,
  digits: string,
  hashPin: (pin: string) => string,
): { room: Room; role: LegRole } | null {
  if (digits === '') return null;
  const hash = hashPin(digits);
  for (const room of rooms) {
    if (room.serviceNumber !== serviceNumber) continue;
    if (room.hostPin.hash === hash) return { room, role: 'host' };
    if (room.participantPin.hash === hash) return { room, role: 'participant' };
  }
  return null;
}

/** Why a room's PINs cannot be used: equal to each other, or used by another room on the number. */
export type PinConflict = 'same-pins' | 'pin-in-use';

/**
 * Why a room's PINs (as digests) cannot be used, or null: they must differ from each other
 * and not be used by another room on the same service number, as either PIN.
 */
export function pinConflict(
  others: readonly Room[],
  candidate: Pick<Room, 'id' | 'serviceNumber' | 'participantPin' | 'hostPin'>,
): PinConflict | null {
  if (candidate.participantPin.hash === candidate.hostPin.hash) return 'same-pins';
  const mine = new Set([candidate.participantPin.hash, candidate.hostPin.hash]);
  const clash = others.some(
    (r) => r.id !== candidate.id && r.serviceNumber === candidate.serviceNumber && (mine.has(r.participantPin.hash) || mine.has(r.hostPin.hash)),
  );
  return clash ? 'pin-in-use' : null;
}

/**
 * How many digits a PIN entry on `serviceNumber` can have: the longest PIN of its rooms (12
 * when it has none). Entry completes as soon as that many digits are in, so callers of a
 * number whose PINs all have the same length need not press `#` or wait for a timeout.
 */
export function longestPinLength(rooms: readonly Room[], serviceNumber: string): number {
  const lengths = rooms
    .filter((room) => room.serviceNumber === serviceNumber)
    .flatMap((room) => [room.participantPin.length, room.hostPin.length]);
  return lengths.length === 0 ? 12 : Math.max(...lengths);
}
