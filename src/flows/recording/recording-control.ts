import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { nextRecordingStatus, pausedMsAt, type RecordingRecord, type RecordingStatus } from '../../domain/recording.ts';
import { type AppError, toAppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import { finaliseRecordingFile } from '../../storage/recording-files.ts';
import type { ConferenceHub } from '../conference-hub.ts';
import type { RoomState, RunningConference } from '../room-state.ts';
import type { ActiveRecording } from './active-recording.ts';
import { startReminder, stopReminder } from './reminder.ts';
import { noticeToHosts, noticeToLateJoiner, noticeToMembers } from './consent-notices.ts';

/** How long the engine may take to finish the file after a write error. */
const FAILED_FINISH_MS = 5000;

/** The recording status Live Call Status shows for a running conference. */
export function recordingStatus(running: RunningConference): RecordingStatus {
  return running.recording?.status ?? 'off';
}

/**
 * Starts the room's recording: every member hears "recording has started" (alone, outside
 * the mix) and only once every notice has played does the engine start writing, so nobody
 * is recorded before being told. One G.711 µ-law file per conference segment under
 * `DATA_DIR/recordings/`. `startedBy` is the actor (`user:<id>`, `leg:<id>`).
 */
export async function startRecording(hub: ConferenceHub, state: RoomState, running: RunningConference, startedBy: string): Promise<void> {
  nextRecordingStatus(recordingStatus(running), 'start');
  const bridge = await running.bridgeReady;
  const told = await noticeToMembers(hub, running, 'recording-started');
  if (running.ending !== null) return;
  const id = randomUUID();
  const path = join(hub.deps.recordingsDir, `${running.record.id}-${id.slice(0, 8)}.wav`);
  await bridge.startRecording(path, { encoding: 'ulaw' });
  const room = hub.deps.store.rooms.get(state.roomId);
  const record: RecordingRecord = {
    id,
    roomId: state.roomId,
    accountId: room?.accountId ?? '',
    conferenceId: running.record.id,
    startedBy,
    startedAt: hub.now(),
    stoppedAt: null,
    pausedMs: 0,
    pausedSince: null,
    durationMs: null,
    sizeBytes: null,
    sha256: null,
    path,
    encoding: null,
    state: 'recording',
    cutShort: false,
  };
  hub.deps.store.recordings.save(record);
  const onFailed = (failedPath: string, err: AppError): void => {
    if (failedPath === path) void recordingFailed(hub, running, err);
  };
  bridge.events.on('recording-failed', onFailed);
  running.recording = { record, status: 'on', bridge, detach: () => bridge.events.off('recording-failed', onFailed) };
  // Whoever joined while the start notice played was not told yet.
  for (const s of running.members.values()) if (!told.has(s.id) && s.record.state === 'joined') noticeToLateJoiner(hub, s);
  hub.log.info({ conferenceId: running.record.id, recordingId: id }, 'recording started');
  publish(hub, running, 'recording-started', id);
  startReminder(hub, running);
}

/** Pauses: the engine stops writing at once, then everyone hears "the recording is paused". */
export async function pauseRecording(hub: ConferenceHub, running: RunningConference): Promise<void> {
  const active = activeFor(running, 'pause');
  stopReminder(running);
  await active.bridge.pauseRecording();
  active.status = 'paused';
  save(hub, active, { ...active.record, state: 'paused', pausedSince: hub.now() });
  publish(hub, running, 'recording-paused', active.record.id);
  await noticeToMembers(hub, running, 'recording-paused');
}

/** Resumes: everyone hears "recording is back on" first, then the engine writes again. */
export async function resumeRecording(hub: ConferenceHub, running: RunningConference): Promise<void> {
  const active = activeFor(running, 'resume');
  await noticeToMembers(hub, running, 'recording-resumed');
  if (running.recording !== active) return;
  await active.bridge.resumeRecording();
  active.status = 'on';
  const now = hub.now();
  save(hub, active, { ...active.record, state: 'recording', pausedMs: pausedMsAt(active.record, now), pausedSince: null });
  publish(hub, running, 'recording-resumed', active.record.id);
  startReminder(hub, running);
}

/** Stops: the file is finished and described, then everyone hears "recording is now off". */
export async function stopRecording(hub: ConferenceHub, running: RunningConference): Promise<void> {
  activeFor(running, 'stop');
  await finishRecording(hub, running);
  await noticeToMembers(hub, running, 'recording-stopped');
}

/** Stops a recording in progress without a notice (the conference is ending). */
export async function finishRecording(hub: ConferenceHub, running: RunningConference): Promise<void> {
  const active = running.recording;
  if (active === null) return;
  running.recording = null;
  stopReminder(running);
  active.detach();
  await active.bridge.stopRecording().catch((err: unknown) => {
    hub.log.warn({ err: toAppError(err), recordingId: active.record.id }, 'engine could not stop the recording');
  });
  await describe(hub, active, 'done');
  publish(hub, running, 'recording-stopped', active.record.id);
}

/** The engine reported a write error: it stopped by itself; keep the file, tell the hosts. */
async function recordingFailed(hub: ConferenceHub, running: RunningConference, err: AppError): Promise<void> {
  const active = running.recording;
  if (active === null) return;
  running.recording = null;
  stopReminder(running);
  active.detach();
  hub.log.error({ err, recordingId: active.record.id }, 'recording stopped by a write error');
  const finished = new Promise<void>((resolve) => {
    active.bridge.events.once('recording-done', () => {
      resolve();
    });
  });
  await withTimeout(finished, FAILED_FINISH_MS, 'recording finish').catch(() => undefined);
  await describe(hub, active, 'failed');
  hub.publish(running.record.roomId, { type: 'recording-failed', conferenceId: running.record.id, recordingId: active.record.id, code: err.code });
  hub.publishConference(running);
  noticeToHosts(hub, running, 'recording-failed');
}

async function describe(hub: ConferenceHub, active: ActiveRecording, state: 'done' | 'failed'): Promise<void> {
  const now = hub.now();
  const stopped: RecordingRecord = { ...active.record, stoppedAt: now, pausedMs: pausedMsAt(active.record, now), pausedSince: null, state };
  try {
    const facts = await finaliseRecordingFile(active.record.path);
    save(hub, active, { ...stopped, ...facts });
  } catch (err) {
    hub.log.error({ err: toAppError(err), recordingId: active.record.id }, 'recording file could not be finalised');
    save(hub, active, { ...stopped, state: 'failed' });
  }
}

function activeFor(running: RunningConference, command: 'pause' | 'resume' | 'stop'): ActiveRecording {
  nextRecordingStatus(recordingStatus(running), command);
  const active = running.recording;
  // nextRecordingStatus already refused 'off'; this only narrows the type.
  if (active === null) throw new Error('recording status and state disagree');
  return active;
}

function save(hub: ConferenceHub, active: ActiveRecording, record: RecordingRecord): void {
  active.record = record;
  hub.deps.store.recordings.save(record);
}

function publish(hub: ConferenceHub, running: RunningConference, type: 'recording-started' | 'recording-paused' | 'recording-resumed' | 'recording-stopped', recordingId: string): void {
  hub.publish(running.record.roomId, { type, conferenceId: running.record.id, recordingId });
  hub.publishConference(running);
}
