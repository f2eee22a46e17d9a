import { assignRoom } from '../../domain/leg.ts';
import { lockoutStatus, relevantSince, type PinSubject } from '../../domain/pin-lockout.ts';
import { longestPinLength, matchPin } from '../../domain/room.ts';
import { refuse } from '../admission.ts';
import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import { isAborted, type Step } from '../step.ts';
import { rememberSensitive } from '../../observability/sensitive-values.ts';

const DEFAULT_TRIES = 3;

function subjectOf(session: CallSession): PinSubject {
  return {
    serviceNumber: session.record.serviceNumber ?? '',
    cli: session.record.caller?.number ?? null,
    sourceAddress: session.record.sourceAddress,
  };
}

/**
 * Whether the caller may try a PIN now. When locked out, tells every room on the number
 * (a `lockout` live event) and returns false.
 */
function lockoutAllows(hub: ConferenceHub, session: CallSession): boolean {
  const { store, lockoutPolicy } = hub.deps;
  const subject = subjectOf(session);
  const now = hub.now().getTime();
  const status = lockoutStatus(store.pinAttempts.relevantTo(subject, relevantSince(now, lockoutPolicy)), subject, now, lockoutPolicy);
  if (!status.locked) return true;
  session.log.warn({ scope: status.scope, until: new Date(status.until).toISOString() }, 'caller turned away: PIN lockout');
  session.lockedOut = true;
  hub.metrics.pinLockout(status.scope);
  for (const room of store.rooms.onServiceNumber(subject.serviceNumber)) {
    hub.publish(room.id, { type: 'lockout', roomId: room.id, scope: status.scope, until: new Date(status.until).toISOString() });
  }
  return false;
}

/**
 * The PIN: checks the lockout before every entry ("temporarily unavailable" and hang-up
 * when locked out), collects digits until `#` or the longest PIN on the number is complete, and matches them against the
 * participant and host PINs of every room on the dialled number. Each entry is recorded
 * for the lockout policy. After `pinTries` wrong entries: goodbye and hang-up.
 */
export function pinStep(): Step {
  return {
    name: 'pin',
    async run({ session, hub }, signal) {
      const { store } = hub.deps;
      const tries = hub.deps.pinTries ?? DEFAULT_TRIES;
      const serviceNumber = session.record.serviceNumber ?? '';
      for (let attempt = 1; attempt <= tries; attempt++) {
        if (!lockoutAllows(hub, session)) {
          await refuse(hub, session, 'temporarily-unavailable', signal);
          return 'stop';
        }
        const result = await session.answered.collectDigits({
          minDigits: 1,
          maxDigits: longestPinLength(store.rooms.onServiceNumber(serviceNumber), serviceNumber),
          terminator: '#',
          firstDigitTimeoutMs: hub.deps.pinFirstDigitTimeoutMs ?? 10_000,
          interDigitTimeoutMs: hub.deps.pinInterDigitTimeoutMs ?? 5_000,
          prompt: [hub.prompts.path('enter-pin')],
          signal,
        });
        if (result.reason === 'stopped' || isAborted(signal)) return 'stop';
        // Keyed digits are a PIN (or a guess at one): never in a log line.
        rememberSensitive(result.digits);
        const match = matchPin(store.rooms.onServiceNumber(serviceNumber), serviceNumber, result.digits, store.hashPin);
        const subject = subjectOf(session);
        if (result.digits !== '') {
          store.pinAttempts.record({ ...subject, at: hub.now().getTime(), ok: match !== null }, match?.room.id ?? null);
        }
        if (match !== null) {
          session.room = match.room;
          const { leg, changes } = assignRoom(session.record, match.room.id, match.role);
          for (const change of changes) hub.apply(session, { leg, change });
          session.log = session.log.child({ roomId: match.room.id });
          session.log.info({ role: match.role, attempt }, 'PIN accepted');
          return 'next';
        }
        session.log.info({ attempt, empty: result.digits === '' }, 'PIN rejected');
        hub.metrics.pinFailure();
        if (attempt < tries) {
          const played = await session.answered.play(hub.prompts.paths('pin-invalid'), { signal });
          if (played.reason === 'stopped' && isAborted(signal)) return 'stop';
        }
      }
      await session.answered.play(hub.prompts.paths('pin-invalid'), { signal }).catch(() => undefined);
      await refuse(hub, session, 'pin-invalid', signal);
      return 'stop';
    },
  };
}
