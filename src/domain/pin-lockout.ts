/**
 * PIN lockout: wrong PINs are counted per calling number, per source address, and per service
 * number (the "room" a caller is trying to enter: rooms are found by PIN, so a wrong PIN
 * belongs to no room), within a sliding window. As a counter nears its limit the answer to
 * each new entry is delayed longer (a tarpit); at the limit the caller, the source or the service number is
 * locked for a period from the failure that reached it.
 *
 * A caller number costs nothing to forge, so the source address is always counted too. A
 * service-number lock is what an attacker with many numbers and addresses reaches, so it
 * must not become a way to close the room: it turns away *unknown* callers only — never a
 * caller who has joined this room before, and nobody once a host is in the room.
 *
 * Pure: a decision is a function of the recorded attempts, the facts about the caller, and `now`.
 */

/** The limits. */
export interface LockoutPolicy {
  /** Wrong PINs from one calling number within the window before it is locked out. */
  readonly callerMaxFailures: number;
  /** Wrong PINs from one source address within the window before it is locked out. */
  readonly sourceMaxFailures: number;
  /** Wrong PINs on one service number within the window before it is locked (for unknown callers). */
  readonly roomMaxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
  /** The longest tarpit delay of the answer to a PIN entry (and before turning away a caller the room lock refuses); 0 = none. */
  readonly maxDelayMs: number;
}

/** Defaults: 5 wrong PINs per number, 10 per address, 20 per service number in 15 minutes lock for 15; delays up to 8 s. */
export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  callerMaxFailures: 5,
  sourceMaxFailures: 10,
  roomMaxFailures: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
  maxDelayMs: 8_000,
};

/** The first tarpit delay; each further failure doubles it, up to `maxDelayMs`. */
export const FIRST_DELAY_MS = 1_000;

/** One PIN entry. */
export interface PinAttempt {
  readonly serviceNumber: string;
  /** The caller's number as stored (withheld numbers too); null when the caller sent none. */
  readonly cli: string | null;
  readonly sourceAddress: string | null;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly ok: boolean;
}

/** Who is trying. */
export interface PinSubject {
  readonly serviceNumber: string;
  readonly cli: string | null;
  readonly sourceAddress: string | null;
}

/** What exempts a caller from the service-number lock. */
export interface RoomLockExemption {
  /** The caller's (not withheld) number has joined this room before. */
  readonly knownCaller: boolean;
  /** A host is in the room now. */
  readonly hostInRoom: boolean;
}

/** Neither exemption. */
export const NOT_EXEMPT: RoomLockExemption = { knownCaller: false, hostInRoom: false };

/** What is locked: the calling number, the source address, or the service number. */
export type LockoutScope = 'caller' | 'source' | 'room';

/** The decision: locked (turned away after `delayMs`), or open after `delayMs` (the tarpit). */
export type LockoutStatus =
  | { readonly locked: false; readonly delayMs: number }
  | { readonly locked: true; readonly scope: LockoutScope; readonly until: number; readonly delayMs: number };

/**
 * The latest time a lockout triggered by these failures lasts until, or 0. A lockout
 * triggers at each failure that is the `max`-th or later within `windowMs` before it.
 */
export function lockedUntil(failureTimes: readonly number[], max: number, policy: LockoutPolicy): number {
  const times = [...failureTimes].sort((a, b) => a - b);
  let until = 0;
  times.forEach((t, end) => {
    // Failures within the window that ends at this one, this one included.
    const inWindow = times.slice(0, end + 1).filter((u) => u > t - policy.windowMs).length;
    if (inWindow >= max) until = Math.max(until, t + policy.lockoutMs);
  });
  return until;
}

/**
 * The tarpit: no delay for the first half of the allowance, then 1 s, doubling with each
 * further failure within the window, up to `maxDelayMs`.
 */
export function tarpitDelay(failuresInWindow: number, max: number, policy: LockoutPolicy): number {
  const free = Math.max(1, Math.floor(max / 2));
  if (policy.maxDelayMs <= 0 || failuresInWindow < free) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** Math.min(failuresInWindow - free, 20), policy.maxDelayMs);
}

interface Counter {
  readonly times: readonly number[];
  readonly max: number;
}

/**
 * Whether `subject` may try a PIN at `now`, and after how long. The calling number's and the
 * source address's locks turn the caller away at once; the service number's lock turns away
 * only a caller with no exemption, after the longest delay (the attacker's line is held).
 */
export function lockoutStatus(
  attempts: readonly PinAttempt[],
  subject: PinSubject,
  now: number,
  policy: LockoutPolicy,
  exemption: RoomLockExemption = NOT_EXEMPT,
): LockoutStatus {
  const failures = attempts.filter((a) => !a.ok && a.at <= now && a.at > now - policy.windowMs - policy.lockoutMs);
  const cli = subject.cli === null || subject.cli === '' ? null : subject.cli;
  const counters: Record<LockoutScope, Counter> = {
    caller: { times: cli === null ? [] : failures.filter((a) => a.cli === cli).map((a) => a.at), max: policy.callerMaxFailures },
    source: {
      times: subject.sourceAddress === null ? [] : failures.filter((a) => a.sourceAddress === subject.sourceAddress).map((a) => a.at),
      max: policy.sourceMaxFailures,
    },
    room: { times: failures.filter((a) => a.serviceNumber === subject.serviceNumber).map((a) => a.at), max: policy.roomMaxFailures },
  };
  const exempt = exemption.knownCaller || exemption.hostInRoom;
  for (const scope of ['caller', 'source', 'room'] as const) {
    if (scope === 'room' && exempt) continue;
    const { times, max } = counters[scope];
    const until = lockedUntil(times, max, policy);
    if (until > now) return { locked: true, scope, until, delayMs: scope === 'room' ? policy.maxDelayMs : 0 };
  }
  const recent = (c: Counter): number => tarpitDelay(c.times.filter((at) => at > now - policy.windowMs).length, c.max, policy);
  const delayMs = Math.max(recent(counters.caller), recent(counters.source), exempt ? 0 : recent(counters.room));
  return { locked: false, delayMs };
}

/** How far back attempts matter for a decision at `now` (storage may prune older ones). */
export function relevantSince(now: number, policy: LockoutPolicy): number {
  return now - policy.windowMs - policy.lockoutMs;
}
