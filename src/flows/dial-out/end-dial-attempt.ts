import type { DialOutcome } from '../../domain/dial-attempt.ts';
import type { ConferenceHub } from '../conference-hub.ts';

/**
 * Closes a placed dial-out attempt with its outcome and counts it, once: an attempt closed
 * already (a hang-up after a cancel) is neither rewritten nor counted again.
 */
export function endDialAttempt(hub: ConferenceHub, attemptId: string, outcome: DialOutcome): void {
  if (hub.deps.store.dialAttempts.finish(attemptId, outcome, hub.now())) hub.metrics.dialOut(outcome);
}
