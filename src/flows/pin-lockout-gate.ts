import { lockoutStatus, NOT_EXEMPT, relevantSince, type LockoutStatus, type PinSubject, type RoomLockExemption } from '../domain/pin-lockout.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import { realTimers } from './timers.ts';

/** The caller as the lockout policy counts them. */
function subjectOf(session: CallSession): PinSubject {
  return {
    serviceNumber: session.record.serviceNumber ?? '',
    cli: session.record.caller?.number ?? null,
    sourceAddress: session.record.sourceAddress,
  };
}

/** The rooms the decision is about: the matched room, or every room on the dialled number. */
function roomIdsOf(hub: ConferenceHub, session: CallSession, roomId: string | null): string[] {
  if (roomId !== null) return [roomId];
  return hub.deps.store.rooms.onServiceNumber(session.record.serviceNumber ?? '').map((room) => room.id);
}

/**
 * What exempts the caller from the service number's lock: a number (not withheld) that has
 * joined the room before, or a host in the room now. Before the PIN the room is not known,
 * so any room on the number counts; after it, only the room the PIN opened.
 */
function exemptionOf(hub: ConferenceHub, session: CallSession, roomId: string | null): RoomLockExemption {
  const caller = session.record.caller;
  const serviceNumber = session.record.serviceNumber ?? '';
  const knownCaller = caller !== null && !caller.withheld && caller.number !== null && hub.deps.store.pinAttempts.hasJoined(caller.number, serviceNumber, roomId);
  const hostInRoom = roomIdsOf(hub, session, roomId).some((id) => {
    const running = hub.rooms.get(id)?.conference;
    return running?.ending === null && [...running.members.values()].some((m) => m.isHost && m.record.state === 'joined');
  });
  return { knownCaller, hostInRoom };
}

function statusOf(hub: ConferenceHub, subject: PinSubject, exemption: RoomLockExemption): LockoutStatus {
  const { store, lockoutPolicy } = hub.deps;
  const now = hub.now().getTime();
  return lockoutStatus(store.pinAttempts.relevantTo(subject, relevantSince(now, lockoutPolicy)), subject, now, lockoutPolicy, exemption);
}

/** Tells the rooms on the number (a `lockout` live event) that a lock holds or began. */
function announce(hub: ConferenceHub, session: CallSession, scope: 'caller' | 'source' | 'room', until: number): void {
  for (const id of roomIdsOf(hub, session, null)) {
    hub.publish(id, { type: 'lockout', roomId: id, scope, until: new Date(until).toISOString() });
  }
}

function turnedAway(hub: ConferenceHub, session: CallSession, status: LockoutStatus): boolean {
  if (!status.locked) return false;
  session.log.warn({ scope: status.scope, until: new Date(status.until).toISOString() }, 'caller turned away: PIN lockout');
  session.lockedOut = true;
  hub.metrics.pinLockout(status.scope);
  announce(hub, session, status.scope, status.until);
  return true;
}

/**
 * The decision before a PIN prompt: locked (the caller is marked, counted and announced) or
 * not, and the tarpit delay to wait first either way.
 */
export function checkLockout(hub: ConferenceHub, session: CallSession): LockoutStatus {
  const status = statusOf(hub, subjectOf(session), exemptionOf(hub, session, null));
  turnedAway(hub, session, status);
  return status;
}

/**
 * After a PIN matched: whether the service number's lock still turns the caller away, now
 * that the room is known (a caller known to another room on the number, or a host in
 * another room, does not open this one).
 */
export function lockedOutAfterMatch(hub: ConferenceHub, session: CallSession, roomId: string): boolean {
  return turnedAway(hub, session, statusOf(hub, subjectOf(session), exemptionOf(hub, session, roomId)));
}

/** Records a PIN entry; when a wrong one locks the service number, says so to its rooms at once. */
export function recordAttempt(hub: ConferenceHub, session: CallSession, roomId: string | null): void {
  const subject = subjectOf(session);
  const numberOnly: PinSubject = { serviceNumber: subject.serviceNumber, cli: null, sourceAddress: null };
  const before = roomId === null ? statusOf(hub, numberOnly, NOT_EXEMPT) : null;
  hub.deps.store.pinAttempts.record({ ...subject, at: hub.now().getTime(), ok: roomId !== null }, roomId);
  if (before === null || before.locked) return;
  const after = statusOf(hub, numberOnly, NOT_EXEMPT);
  if (after.locked) {
    session.log.warn({ until: new Date(after.until).toISOString() }, 'service number locked for unknown callers: too many wrong PINs');
    announce(hub, session, 'room', after.until);
  }
}

/** Waits `ms` on the runtime's timers; false when the call ended first. */
export function pauseFor(hub: ConferenceHub, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = (hub.deps.timers ?? realTimers).after(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
