import { assignRoom } from '../../domain/leg.ts';
import { longestPinLength, matchPin } from '../../domain/room.ts';
import { refuse } from '../admission.ts';
import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import { checkLockout, lockedOutAfterMatch, recordAttempt, pauseFor } from '../pin-lockout-gate.ts';
import { isAborted, type Step } from '../step.ts';
import { rememberSensitive } from '../../observability/sensitive-values.ts';

const DEFAULT_TRIES = 3;

/** Turns the caller away: "temporarily unavailable", goodbye, hang-up. */
async function turnAway(hub: ConferenceHub, session: CallSession, signal: AbortSignal): Promise<'stop'> {
  await refuse(hub, session, 'temporarily-unavailable', signal);
  return 'stop';
}

/**
 * The PIN: checks the lockout before every entry ("temporarily unavailable" and hang-up when
 * locked out), collects digits until `#` or the longest PIN on the number is complete, waits
 * out the tarpit delay, and matches them against the participant and host PINs of every room
 * on the dialled number. Each entry is recorded for the lockout policy.
 * After `pinTries` wrong entries: goodbye and hang-up.
 */
export function pinStep(): Step {
  return {
    name: 'pin',
    async run({ session, hub }, signal) {
      const { store } = hub.deps;
      const tries = hub.deps.pinTries ?? DEFAULT_TRIES;
      const serviceNumber = session.record.serviceNumber ?? '';
      for (let attempt = 1; attempt <= tries; attempt++) {
        const gate = checkLockout(hub, session);
        if (gate.locked) {
          // The line of a caller the service-number lock refuses is held a while first.
          if (gate.delayMs > 0 && !(await pauseFor(hub, gate.delayMs, signal))) return 'stop';
          return turnAway(hub, session, signal);
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
        // The tarpit: the answer to this entry waits (digits already keyed are never lost).
        if (gate.delayMs > 0) {
          session.log.info({ delayMs: gate.delayMs }, 'PIN answer delayed (tarpit)');
          if (!(await pauseFor(hub, gate.delayMs, signal))) return 'stop';
        }
        const match = matchPin(store.rooms.onServiceNumber(serviceNumber), serviceNumber, result.digits, store.hashPin);
        if (match !== null && lockedOutAfterMatch(hub, session, match.room.id)) return turnAway(hub, session, signal);
        if (result.digits !== '') recordAttempt(hub, session, match?.room.id ?? null);
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
