import { assignConference, setFlag, transition } from '../domain/leg.ts';
import { toAppError } from '../lib/errors.ts';
import { admission, refuse } from './admission.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import { attachFarEndHold } from './far-end-hold.ts';
import { attachKeypad } from './keypad-controller.ts';
import { noticeToLateJoiner } from './recording/consent-notices.ts';
import { recordFromStartIfAsked } from './recording/record-all.ts';
import { isAborted, isClosed } from './step.ts';

/**
 * Puts a caller whose PIN opened a room into the room's bridge: starts the conference (and
 * its bridge) on the first join, refuses when locked or full, applies join-muted to
 * participants, records the join, announces it, attaches the keypad and far-end hold, and — for a host —
 * releases everyone waiting and stops the grace timer. Returns whether the caller is in.
 */
export async function joinConference(hub: ConferenceHub, session: CallSession, signal: AbortSignal): Promise<boolean> {
  const room = session.room;
  const leg = session.leg;
  if (room === null || leg === null) throw new Error('joinConference needs an answered call with a room');
  let state;
  let running;
  let bridge;
  for (;;) {
    state = hub.roomState(room.id);
    const current = state.conference;
    // A conference that is ending cannot be joined; the next one starts after it.
    if (current !== null && current.ending !== null) {
      await current.ending;
      continue;
    }
    running = current ?? hub.startConference(state, room);
    try {
      bridge = await running.bridgeReady;
    } catch (err) {
      session.log.error({ err: toAppError(err) }, 'no bridge to join');
      await refuse(hub, session, 'temporarily-unavailable', signal);
      return false;
    }
    if (isAborted(signal) || isClosed(leg)) return false;
    // The conference may have ended (its last member left) while the bridge was made: start again.
    if (running.ending === null && hub.rooms.get(room.id)?.conference === running) break;
  }

  const refusal = admission(hub, session);
  if (refusal !== null) {
    await refuse(hub, session, refusal, signal);
    return false;
  }
  // Counted as a member from here on, so that two callers cannot both take the last place.
  running.members.set(session.id, session);
  state.waiting.delete(session);
  hub.byEngineLeg.set(leg.id, session);
  const muted = room.settings.joinMuted && !session.isHost;
  try {
    await bridge.add(leg, { muted });
  } catch (err) {
    running.members.delete(session.id);
    session.log.error({ err: toAppError(err) }, 'could not add the leg to the bridge');
    if (!isClosed(leg)) await refuse(hub, session, 'temporarily-unavailable', signal);
    return false;
  }
  if (isClosed(leg) || session.isGone()) {
    running.members.delete(session.id);
    return false;
  }

  const now = hub.now();
  hub.apply(session, assignConference(session.record, running.record.id));
  hub.apply(session, transition(session.record, 'joined', now));
  if (muted) hub.apply(session, setFlag(session.record, 'muted', true, 'join-muted'));
  session.log.info({ conferenceId: running.record.id, role: session.record.role }, 'leg joined');

  // A required billing code the host keyed goes to the conference, unless it has one already.
  if (session.pendingBillingCode !== null && hub.deps.store.conferences.get(running.record.id)?.billingCode == null) {
    hub.deps.store.conferences.setBillingCode(running.record.id, session.pendingBillingCode);
  }
  session.pendingBillingCode = null;
  attachKeypad(hub, session);
  attachFarEndHold(hub, session);
  hub.announceJoin(running, session);
  // Consent: whoever joins a recorded room is told at once, before anything else is said to them.
  if (running.recording !== null) noticeToLateJoiner(hub, session);
  else recordFromStartIfAsked(hub, state, running);
  if (session.isHost) {
    hub.cancelHostGrace(running);
    state.hostJoined();
  }
  return true;
}
