import type { CallerIdentity } from './caller-identity.ts';
import type { LegNames, TextNameField } from './leg-names.ts';
import type { LookedUpName } from './name-source.ts';
import { assertMove } from './leg-state.ts';
import type { LegRole, LegState } from './live-view.ts';

/** The switches on a leg in a conference. */
export interface LegFlags {
  readonly muted: boolean;
  readonly deaf: boolean;
  readonly talking: boolean;
  readonly handRaised: boolean;
  /** The last mute came from a host (the leg may not unmute itself by keypad). */
  readonly mutedByHost: boolean;
}

/** A leg's flags when it arrives. */
export const INITIAL_FLAGS: LegFlags = { muted: false, deaf: false, talking: false, handRaised: false, mutedByHost: false };

/** One party's call: who, where, how far through the flow, and its switches. Immutable. */
export interface LegRecord {
  readonly id: string;
  /** The room the leg dialled into; null while the PIN is not yet known. */
  readonly roomId: string | null;
  /** The conference it joined; null before it joined one. */
  readonly conferenceId: string | null;
  readonly direction: 'inbound' | 'outbound';
  readonly role: LegRole;
  readonly state: LegState;
  readonly caller: CallerIdentity | null;
  readonly names: LegNames;
  /** The signalling peer's address (not personal data for a carrier, but kept with the leg). */
  readonly sourceAddress: string | null;
  readonly serviceNumber: string | null;
  readonly flags: LegFlags;
  readonly createdAt: Date;
  readonly joinedAt: Date | null;
  readonly leftAt: Date | null;
  readonly leftReason: string | null;
}

/** A change to a leg, as recorded in its history. */
export type LegChange =
  | { readonly kind: 'state'; readonly from: LegState; readonly to: LegState; readonly reason: string | null }
  | { readonly kind: 'flag'; readonly flag: keyof LegFlags; readonly value: boolean; readonly by: string | null }
  | { readonly kind: 'name'; readonly which: keyof LegNames; readonly by: string | null }
  | { readonly kind: 'role'; readonly role: LegRole }
  | { readonly kind: 'room'; readonly roomId: string; readonly conferenceId: string | null };

/**
 * The one guarded state transition: checks the allowed-moves table (throws
 * `INVALID_TRANSITION`), stamps `joinedAt` on the first join and `leftAt`/`leftReason` on
 * leaving, and clears the talking flag on leaving or hold.
 */
export function transition(leg: LegRecord, to: LegState, at: Date, reason: string | null = null): { leg: LegRecord; change: LegChange } {
  assertMove(leg.state, to);
  const flags = to === 'left' || to === 'held' ? { ...leg.flags, talking: false } : leg.flags;
  const next: LegRecord = {
    ...leg,
    state: to,
    flags,
    joinedAt: to === 'joined' && leg.joinedAt === null ? at : leg.joinedAt,
    leftAt: to === 'left' ? at : leg.leftAt,
    leftReason: to === 'left' ? (reason ?? 'unknown') : leg.leftReason,
  };
  return { leg: next, change: { kind: 'state', from: leg.state, to, reason } };
}

/** Sets one flag; returns null when it already has that value (no change, no history). */
export function setFlag(leg: LegRecord, flag: keyof LegFlags, value: boolean, by: string | null = null): { leg: LegRecord; change: LegChange } | null {
  if (leg.flags[flag] === value) return null;
  return { leg: { ...leg, flags: { ...leg.flags, [flag]: value } }, change: { kind: 'flag', flag, value, by } };
}

/** A new leg in `offered`. */
export function newLeg(init: {
  id: string;
  direction: 'inbound' | 'outbound';
  caller: CallerIdentity | null;
  sourceAddress: string | null;
  serviceNumber: string | null;
  names: LegNames;
  at: Date;
}): LegRecord {
  return {
    id: init.id,
    roomId: null,
    conferenceId: null,
    direction: init.direction,
    role: 'participant',
    state: 'offered',
    caller: init.caller,
    names: init.names,
    sourceAddress: init.sourceAddress,
    serviceNumber: init.serviceNumber,
    flags: INITIAL_FLAGS,
    createdAt: init.at,
    joinedAt: null,
    leftAt: null,
    leftReason: null,
  };
}

/** Puts a leg into a room with the role its PIN gave it (one history entry each). */
export function assignRoom(leg: LegRecord, roomId: string, role: LegRole): { leg: LegRecord; changes: LegChange[] } {
  const changes: LegChange[] = [{ kind: 'room', roomId, conferenceId: leg.conferenceId }];
  if (role !== leg.role) changes.push({ kind: 'role', role });
  return { leg: { ...leg, roomId, role }, changes };
}

/** Puts a leg into the room's running conference. */
export function assignConference(leg: LegRecord, conferenceId: string): { leg: LegRecord; change: LegChange } {
  const roomId = leg.roomId ?? '';
  return { leg: { ...leg, conferenceId }, change: { kind: 'room', roomId, conferenceId } };
}

/** Sets one of the leg's names (null clears it). */
export function setName(leg: LegRecord, which: TextNameField, value: string | null, by: string | null = null): { leg: LegRecord; change: LegChange } {
  return { leg: { ...leg, names: { ...leg.names, [which]: value } }, change: { kind: 'name', which, by } };
}

/**
 * Records what a back-end look-up found for the leg's number; null when it is what the leg
 * already has (no change, no history). The history says which source answered, never the number.
 */
export function setLookedUpName(leg: LegRecord, found: LookedUpName): { leg: LegRecord; change: LegChange } | null {
  const current = leg.names.lookedUp;
  if (current?.name === found.name && current.source === found.source) return null;
  return { leg: { ...leg, names: { ...leg.names, lookedUp: found } }, change: { kind: 'name', which: 'lookedUp', by: `lookup:${found.source}` } };
}
