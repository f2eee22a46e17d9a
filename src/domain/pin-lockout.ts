/**
 * PIN lockout: wrong PINs are counted per service number (the "room" a caller is trying to
 * enter: rooms are found by PIN, so a wrong PIN belongs to no room), per calling number, and
 * per source address, within a sliding window. When a counter reaches its limit, that room
 * or caller is locked out for a period from the failure that reached it.
 *
 * Pure: a decision is a function of the recorded attempts and `now`.
 */

/** The limits. */
export interface LockoutPolicy {
  /** Wrong PINs from one caller within the window before the caller is locked out. */
  readonly callerMaxFailures: number;
  /** Wrong PINs on one service number within the window before it is locked out. */
  readonly roomMaxFailures: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

/** Defaults: 5 wrong PINs per caller or 20 per room in 15 minutes lock out for 15 minutes. */
export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  callerMaxFailures: 5,
  roomMaxFailures: 20,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
};

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

/** The decision. */
export type LockoutStatus =
  | { readonly locked: false }
  | { readonly locked: true; readonly scope: 'room' | 'caller'; readonly until: number };

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
 * Whether `subject` may try a PIN at `now`. A caller is identified by their number; a caller
 * without a number by their source address. (A carrier trunk carries many callers from one
 * address, so counting every failure from that address would lock out all of that carrier's
 * callers for one guesser; the address only stands in for a caller with no number.)
 */
export function lockoutStatus(attempts: readonly PinAttempt[], subject: PinSubject, now: number, policy: LockoutPolicy): LockoutStatus {
  const failures = attempts.filter((a) => !a.ok && a.at <= now && a.at > now - policy.windowMs - policy.lockoutMs);
  const room = lockedUntil(
    failures.filter((a) => a.serviceNumber === subject.serviceNumber).map((a) => a.at),
    policy.roomMaxFailures,
    policy,
  );
  if (room > now) return { locked: true, scope: 'room', until: room };

  const cli = subject.cli === null || subject.cli === '' ? null : subject.cli;
  const byCaller =
    cli !== null
      ? failures.filter((a) => a.cli === cli)
      : subject.sourceAddress === null
        ? []
        : failures.filter((a) => (a.cli === null || a.cli === '') && a.sourceAddress === subject.sourceAddress);
  const caller = lockedUntil(
    byCaller.map((a) => a.at),
    policy.callerMaxFailures,
    policy,
  );
  if (caller > now) return { locked: true, scope: 'caller', until: caller };
  return { locked: false };
}

/** How far back attempts matter for a decision at `now` (storage may prune older ones). */
export function relevantSince(now: number, policy: LockoutPolicy): number {
  return now - policy.windowMs - policy.lockoutMs;
}
