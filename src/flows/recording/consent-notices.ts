import { toAppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { CallSession } from '../call-session.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { PromptName } from '../prompt-files.ts';
import type { RunningConference } from '../room-state.ts';
import { isClosed } from '../step.ts';

/** How long every member's notice may take before the command goes on without it. */
const NOTICE_TIMEOUT_MS = 15_000;

/**
 * Plays a recording notice to each member in the room **alone** (Leg.play, with the room
 * ducked under it), never through the room mix, so it is never in the recording. Held
 * members hear their music, not the notice. Resolves when every notice ended (completed,
 * stopped or failed), or after 15 s, with the ids of the legs it was played to.
 */
export async function noticeToMembers(hub: ConferenceHub, running: RunningConference, name: PromptName): Promise<Set<string>> {
  const file = hub.prompts.path(name);
  const told = [...running.members.values()].filter((s) => s.record.state === 'joined');
  const plays = told.map((s) => playNotice(s, file));
  await withTimeout(Promise.all(plays), NOTICE_TIMEOUT_MS, 'recording notice').catch((err: unknown) => {
    hub.log.warn({ err: toAppError(err), notice: name }, 'recording notice did not finish for everyone');
  });
  return new Set(told.map((s) => s.id));
}

/** "This conference is being recorded", to a leg that just joined a recorded room. */
export function noticeToLateJoiner(hub: ConferenceHub, session: CallSession): void {
  void playNotice(session, hub.prompts.path('recording-started-notice'));
}

/** A notice to the hosts in the room only (a recording fault). */
export function noticeToHosts(hub: ConferenceHub, running: RunningConference, name: PromptName): void {
  const file = hub.prompts.path(name);
  for (const s of running.members.values()) if (s.isHost && s.record.state === 'joined') void playNotice(s, file);
}

async function playNotice(session: CallSession, file: string): Promise<void> {
  const leg = session.leg;
  if (leg === null || isClosed(leg)) return;
  await leg.play([file], { duck: true, signal: session.abort.signal }).catch((err: unknown) => {
    session.log.warn({ err: toAppError(err) }, 'recording notice failed');
  });
}
