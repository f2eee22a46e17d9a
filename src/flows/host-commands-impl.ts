import { decide, type Action } from '../domain/permissions.ts';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../lib/errors.ts';
import { asActor } from './actor-context.ts';
import { auditCommand } from './command-audit.ts';
import type { CallSession } from './call-session.ts';
import type { ConferenceHub } from './conference-hub.ts';
import type { Actor, HostCommands, LegCommand, RecordingCommand, RoomCommand } from './host-commands.ts';
import { pauseRecording, recordingStatus, resumeRecording, startRecording, stopRecording } from './recording/recording-control.ts';
import { drop, rename, setAllMuted, setHand, setHeld, setLocked, setMuted } from './member-actions.ts';
import { serially, type RoomState, type RunningConference } from './room-state.ts';

// The audit log's verbs for each command.
const LEG_AUDIT: Record<LegCommand, string> = {
  mute: 'leg.muted',
  unmute: 'leg.unmuted',
  hold: 'leg.held',
  unhold: 'leg.unheld',
  drop: 'leg.dropped',
  'lower-hand': 'leg.hand-lowered',
};
const ROOM_AUDIT: Record<RoomCommand, string> = {
  lock: 'room.locked',
  unlock: 'room.unlocked',
  'mute-all': 'room.muted-all',
  'unmute-all': 'room.unmuted-all',
  end: 'room.ended',
};
const RECORDING_AUDIT: Record<RecordingCommand, string> = {
  start: 'recording.started',
  pause: 'recording.paused',
  resume: 'recording.resumed',
  stop: 'recording.stopped',
};

/**
 * The one implementation of host actions behind both the keypad and the HTTP API. Every
 * command asks the permission table for `room.control`, whoever the actor is: a host leg in
 * the room, or a person allowed to control it.
 */
export class RuntimeHostCommands implements HostCommands {
  readonly #hub: ConferenceHub;

  constructor(hub: ConferenceHub) {
    this.#hub = hub;
  }

  async legCommand(roomId: string, legId: string, command: LegCommand, actor: Actor): Promise<void> {
    const { running } = this.#authorised(roomId, actor);
    await serially(running, () => asActor(actor, () => this.#legCommand(roomId, running, legId, command)));
    auditCommand(this.#hub, roomId, actor, LEG_AUDIT[command], { kind: 'leg', id: legId });
  }

  async #legCommand(roomId: string, running: RunningConference, legId: string, command: LegCommand): Promise<void> {
    const session = this.#leg(roomId, running, legId);
    const hub = this.#hub;
    switch (command) {
      case 'mute':
        if (await setMuted(hub, running, session, true, true)) hub.tell(session, [hub.prompts.path('muted-by-host')]);
        return;
      case 'unmute':
        if (await setMuted(hub, running, session, false, true)) hub.tell(session, [hub.prompts.path('unmuted-by-host')]);
        return;
      case 'hold':
        await setHeld(hub, running, session, true);
        return;
      case 'unhold':
        await setHeld(hub, running, session, false);
        return;
      case 'drop':
        await drop(hub, session);
        return;
      case 'lower-hand':
        // A host clears a raised hand (seen, or answered); the leg hears that it is down.
        if (session.record.flags.handRaised) {
          setHand(hub, session, false, 'host');
          hub.tell(session, [hub.prompts.path('hand-lowered')]);
        }
        return;
    }
  }

  rename(roomId: string, legId: string, name: string, actor: Actor): Promise<void> {
    try {
      const { running } = this.#authorised(roomId, actor);
      asActor(actor, () => { rename(this.#hub, this.#leg(roomId, running, legId), name); });
      auditCommand(this.#hub, roomId, actor, 'leg.renamed', { kind: 'leg', id: legId });
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  async roomCommand(roomId: string, command: RoomCommand, actor: Actor): Promise<void> {
    const { state, running } = this.#authorised(roomId, actor);
    await serially(running, () => asActor(actor, () => this.#roomCommand(state, running, command)));
    auditCommand(this.#hub, roomId, actor, ROOM_AUDIT[command], { kind: 'room', id: roomId });
  }

  /**
   * Keypad toggles: mute-all ⇄ unmute-all and lock ⇄ unlock, decided in the command queue
   * so that quick repeated presses toggle once each.
   */
  async toggle(roomId: string, what: 'mute-all' | 'lock', actor: Actor): Promise<void> {
    const { state, running } = this.#authorised(roomId, actor);
    await serially(running, async () => {
      const command: RoomCommand = what === 'lock' ? (running.record.locked ? 'unlock' : 'lock') : running.allMuted ? 'unmute-all' : 'mute-all';
      await asActor(actor, () => this.#roomCommand(state, running, command));
      auditCommand(this.#hub, roomId, actor, ROOM_AUDIT[command], { kind: 'room', id: roomId });
    });
  }

  async recordingCommand(roomId: string, command: RecordingCommand, actor: Actor): Promise<void> {
    const { state, running } = this.#authorised(roomId, actor);
    await serially(running, () => this.#recordingCommand(state, running, command, actor));
    auditCommand(this.#hub, roomId, actor, RECORDING_AUDIT[command], { kind: 'room', id: roomId });
  }

  /**
   * Keypad toggles for the recording: `start-stop` starts when off and stops otherwise;
   * `pause-resume` pauses when on and resumes when paused (decided in the command queue).
   */
  async toggleRecording(roomId: string, what: 'start-stop' | 'pause-resume', actor: Actor): Promise<void> {
    const { state, running } = this.#authorised(roomId, actor);
    await serially(running, async () => {
      const status = recordingStatus(running);
      const command: RecordingCommand =
        what === 'start-stop' ? (status === 'off' ? 'start' : 'stop') : status === 'paused' ? 'resume' : 'pause';
      await this.#recordingCommand(state, running, command, actor);
      auditCommand(this.#hub, roomId, actor, RECORDING_AUDIT[command], { kind: 'room', id: roomId });
    });
  }

  async #recordingCommand(state: RoomState, running: RunningConference, command: RecordingCommand, actor: Actor): Promise<void> {
    const hub = this.#hub;
    switch (command) {
      case 'start':
        await startRecording(hub, state, running, actor.kind === 'user' ? `user:${actor.principal.id}` : `leg:${actor.legId}`);
        return;
      case 'pause':
        await pauseRecording(hub, running);
        return;
      case 'resume':
        await resumeRecording(hub, running);
        return;
      case 'stop':
        await stopRecording(hub, running);
        return;
    }
  }

  async #roomCommand(state: RoomState, running: RunningConference, command: RoomCommand): Promise<void> {
    const hub = this.#hub;
    switch (command) {
      case 'lock':
      case 'unlock':
        setLocked(hub, state, running, command === 'lock');
        return;
      case 'mute-all':
      case 'unmute-all':
        await setAllMuted(hub, running, command === 'mute-all');
        return;
      case 'end':
        await hub.endConference(state, 'ended-by-host', true);
        return;
    }
  }

  /**
   * Sets the running conference's billing code (the keypad's billing-code key; the API sets
   * codes through admin/billing-codes.ts). `room.billing-code` decides.
   */
  setBillingCode(roomId: string, code: string | null, actor: Actor): void {
    const { running } = this.#authorised(roomId, actor, 'room.billing-code');
    this.#hub.deps.store.conferences.setBillingCode(running.record.id, code);
    auditCommand(this.#hub, roomId, actor, 'conference.billing-code-set', { kind: 'room', id: roomId });
  }

  /** Throws as a command would (`FORBIDDEN`, `CONFERENCE_NOT_ACTIVE`, …) unless the actor may do `action` now. */
  check(roomId: string, actor: Actor, action: Action): void {
    this.#authorised(roomId, actor, action);
  }

  /** The room's running conference, if the actor may command it. */
  #authorised(roomId: string, actor: Actor, action: Action = 'room.control'): { state: RoomState; running: RunningConference } {
    // Permission first, so that nobody learns whether a room they may not control is in use.
    const room = this.#hub.deps.store.rooms.get(roomId);
    if (room === null) throw new AppError('NOT_FOUND', 'room not found');
    const state = this.#hub.rooms.get(roomId);
    const running = state?.conference ?? null;
    const target = { kind: 'room', roomId, accountId: room.accountId, ownerUserId: room.ownerUserId } as const;
    const decision = decide(this.#principal(roomId, running, actor), action, target);
    if (decision === 'not-found') throw new AppError('NOT_FOUND', 'room not found');
    if (decision === 'forbidden') throw new AppError('FORBIDDEN', 'only hosts may do this', { details: { roomId } });
    if (state === undefined || running?.ending !== null) {
      throw new AppError('CONFERENCE_NOT_ACTIVE', 'the room has no running conference', { details: { roomId } });
    }
    return { state, running };
  }

  /**
   * The actor as the permission table sees it. A keypad leg counts as in the room only while
   * it is a member; one that is not (it left, or never joined) is refused as a participant.
   */
  #principal(roomId: string, running: RunningConference | null, actor: Actor): Principal {
    if (actor.kind === 'user') return actor.principal;
    const member = running?.members.get(actor.legId);
    return { kind: 'leg', legId: actor.legId, roomId, role: member?.record.role ?? 'participant' };
  }

  /** A leg in the room: a member, or a caller waiting for the host. */
  #leg(roomId: string, running: RunningConference, legId: string): CallSession {
    const session = running.members.get(legId) ?? [...(this.#hub.rooms.get(roomId)?.waiting ?? [])].find((s) => s.id === legId);
    if (session === undefined || session.isGone()) throw new AppError('NOT_FOUND', 'no such leg in the conference', { details: { legId } });
    return session;
  }
}
