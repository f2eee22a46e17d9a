import { toAppError } from '../../lib/errors.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import { serially, type RoomState, type RunningConference } from '../room-state.ts';
import { startRecording } from './recording-control.ts';

// Conferences whose automatic recording was begun, so a later joiner does not begin it again
// (nor a conference a host stopped recording by hand).
const begun = new WeakSet<RunningConference>();

/**
 * The account setting "record every conference": once the first leg is in the bridge, the
 * recording starts as a host's would — the start notice plays to everyone alone first, so
 * nobody is recorded before being told. Runs in the conference's command queue, beside the
 * join; a failure is logged and the meeting goes on unrecorded.
 */
export function recordFromStartIfAsked(hub: ConferenceHub, state: RoomState, running: RunningConference): void {
  if (begun.has(running) || running.recording !== null) return;
  const room = hub.deps.store.rooms.get(state.roomId);
  const account = room === null ? null : hub.deps.store.accounts.get(room.accountId);
  if (account?.recordAllConferences !== true) return;
  begun.add(running);
  void serially(running, () => startRecording(hub, state, running, 'account-setting')).catch((err: unknown) => {
    hub.log.warn({ err: toAppError(err), conferenceId: running.record.id }, 'recording every conference: could not start');
  });
}
