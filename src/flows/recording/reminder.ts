import type { ConferenceHub } from '../conference-hub.ts';
import type { RunningConference } from '../room-state.ts';
import { realTimers, type TimerHandle } from '../timers.ts';
import { noticeToMembers } from './consent-notices.ts';

const pending = new WeakMap<RunningConference, TimerHandle>();

/**
 * The periodic reminder some jurisdictions require: while the room is being recorded (not
 * while paused), every `recordingReminderSeconds` of the account each member hears a short
 * tone, played to them alone like every recording notice, so it is not in the recording.
 * Off when the account has no interval. Call on start and resume; {@link stopReminder} on
 * pause, stop and failure.
 */
export function startReminder(hub: ConferenceHub, running: RunningConference): void {
  stopReminder(running);
  const room = hub.deps.store.rooms.get(running.record.roomId);
  const seconds = room === null ? null : (hub.deps.store.accounts.get(room.accountId)?.recordingReminderSeconds ?? null);
  if (seconds === null) return;
  const timers = hub.deps.timers ?? realTimers;
  const tick = (): void => {
    pending.delete(running);
    if (running.ending !== null || running.recording?.status !== 'on') return;
    void noticeToMembers(hub, running, 'recording-reminder');
    pending.set(running, timers.after(seconds * 1000, tick));
  };
  pending.set(running, timers.after(seconds * 1000, tick));
}

/** Cancels the room's reminder, if one is due. */
export function stopReminder(running: RunningConference): void {
  pending.get(running)?.cancel();
  pending.delete(running);
}
