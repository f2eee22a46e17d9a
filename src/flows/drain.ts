import { toAppError } from '../lib/errors.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import { isClosed } from './step.ts';

/** How often the drain looks whether every call has ended. */
const POLL_MS = 200;
/** The longest the notice may take for a caller still in the IVR before they are let go. */
const NOTICE_TIMEOUT_MS = 15_000;

function inConference(session: CallSession): boolean {
  return session.record.state === 'joined' || session.record.state === 'held';
}

/** A member hears the notice alone (the room ducked under it) and stays until the grace ends. */
async function tellMember(session: CallSession, file: string): Promise<void> {
  const leg = session.leg;
  if (leg === null || isClosed(leg)) return;
  await leg.play([file], { duck: true, signal: session.abort.signal }).catch((err: unknown) => {
    session.log.warn({ err: toAppError(err) }, 'closing notice failed');
  });
}

/** A caller still in the join IVR cannot take part any more: their flow stops, they hear the notice, then goodbye. */
async function letGo(hub: ConferenceHub, session: CallSession, file: string): Promise<void> {
  session.leaveReason ??= 'shutdown';
  session.abort.abort();
  const leg = session.leg;
  if (leg !== null && !isClosed(leg)) {
    await withTimeout(leg.play([file, hub.prompts.path('goodbye')]), NOTICE_TIMEOUT_MS, 'closing notice').catch(() => undefined);
  }
  await hub.hangup(session, 'shutdown');
}

/**
 * The drain (see `ConferenceRuntime.drain`, which has already turned the admission gate's
 * refusal switch and runs this once): tells every call, and waits — bounded by `graceMs` —
 * until every call has ended.
 */
export async function drainCalls(hub: ConferenceHub, graceMs: number): Promise<void> {
  if (hub.closed) return;
  const calls = [...hub.sessions.values()];
  hub.log.info({ calls: calls.length, graceMs }, 'draining: new calls refused, calls told');
  if (graceMs <= 0) return;
  const file = hub.prompts.path('service-closing');
  for (const session of calls) {
    if (session.leg === null) continue;
    void (inConference(session) ? tellMember(session, file) : letGo(hub, session, file));
  }
  const deadline = Date.now() + graceMs;
  while (hub.sessions.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}
