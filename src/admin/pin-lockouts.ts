import { lockedUntil, relevantSince, type LockoutPolicy } from '../domain/pin-lockout.ts';
import type { Room } from '../domain/room.ts';
import { audit, type AdminContext } from './admin-context.ts';

/** The PIN lock of a room's service number, as its hosts and admins see it. */
export interface PinLockoutView {
  readonly serviceNumber: string;
  /** Whether unknown callers are turned away now. */
  readonly locked: boolean;
  /** Until when (ISO), or null. */
  readonly until: string | null;
  /** Wrong PINs on the number within the window. */
  readonly failures: number;
  /** How many lock it. */
  readonly limit: number;
}

/** The service number's lock now (wrong PINs from any caller on any room of the number). */
export function pinLockoutOf(ctx: Pick<AdminContext, 'store' | 'now'>, room: Room, policy: LockoutPolicy): PinLockoutView {
  const now = ctx.now().getTime();
  const subject = { serviceNumber: room.serviceNumber, cli: null, sourceAddress: null };
  const times = ctx.store.pinAttempts
    .relevantTo(subject, relevantSince(now, policy))
    .filter((a) => !a.ok && a.serviceNumber === room.serviceNumber && a.at <= now)
    .map((a) => a.at);
  const until = lockedUntil(times, policy.roomMaxFailures, policy);
  return {
    serviceNumber: room.serviceNumber,
    locked: until > now,
    until: until > now ? new Date(until).toISOString() : null,
    failures: times.filter((at) => at > now - policy.windowMs).length,
    limit: policy.roomMaxFailures,
  };
}

/**
 * Lifts the lock: forgives every wrong PIN entered on the room's service number so far (so
 * the locks and delays they caused on that number end too), audited, and announced through
 * `announce` (a live event to the rooms of the number). Returns how many were forgiven.
 */
export function liftPinLockout(ctx: AdminContext, room: Room, announce: ((roomId: string, failures: number) => void) | undefined): number {
  const forgiven = ctx.store.pinAttempts.forgiveFailures(room.serviceNumber, ctx.now().getTime());
  audit(ctx, { accountId: room.accountId, action: 'room.pin-lockout-lifted', target: { kind: 'room', id: room.id }, detail: { serviceNumber: room.serviceNumber, forgiven } });
  announce?.(room.id, forgiven);
  return forgiven;
}
