import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { endConference as endRecord, startConference } from '../domain/conference.ts';
import { setFlag, transition, type LegChange, type LegRecord } from '../domain/leg.ts';
import { toLiveConference, toLiveLeg } from '../domain/live-projection.ts';
import type { LiveConference, LiveEvent } from '../domain/live-view.ts';
import type { Room } from '../domain/room.ts';
import { toAppError } from '../lib/errors.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import type { Bridge } from '../ports/bridge.ts';
import type { HangupCause } from '../ports/leg.ts';
import { actorRecord, currentActor } from './actor-context.ts';
import type { CallSession } from './call-session.ts';
import { RuntimeHostCommands } from './host-commands-impl.ts';
import { LiveBus } from './live-bus.ts';
import { PromptFiles } from './prompt-files.ts';
import { forgetNameClips } from './name-clip-cleanup.ts';
import { finishRecording } from './recording/recording-control.ts';
import { RoomState, type RunningConference } from './room-state.ts';
import { NO_CALL_METRICS, type CallMetrics } from './call-metrics.ts';
import type { ConferenceRuntimeDeps } from './runtime-deps.ts';
import type { RoomDialOut } from './dial-out/dial-out-service.ts';
import { isClosed } from './step.ts';
import { realTimers } from './timers.ts';
import { rememberSensitive } from '../observability/sensitive-values.ts';

/** How long an announcement to the whole room may take before we go on without it. */
const ANNOUNCE_TIMEOUT_MS = 20_000;
/** How long hanging up the room's legs may take when a conference ends. */
const HANGUP_TIMEOUT_MS = 10_000;

/** One leg change to persist and publish. */
export type LegUpdate = { leg: LegRecord; change: LegChange } | null;

/**
 * The runtime's shared state and the operations every flow, keypad key and host command
 * goes through: persisting leg changes with their history, publishing them live (masked),
 * starting and ending conferences, and handling legs that hang up.
 */
export class ConferenceHub {
  readonly deps: ConferenceRuntimeDeps;
  readonly prompts: PromptFiles;
  readonly bus: LiveBus;
  readonly log: Logger;
  readonly rooms = new Map<string, RoomState>();
  /** Every live call, by leg id. */
  readonly sessions = new Map<string, CallSession>();
  /** Engine leg id → call, for bridge events (talking, member-gone). */
  readonly byEngineLeg = new Map<string, CallSession>();
  /** Host actions, shared by the keypad and the HTTP API. */
  readonly commands: RuntimeHostCommands;
  /** What the flows count (observability/metrics.ts). */
  readonly metrics: CallMetrics;
  /** Dial-out from rooms (the keypad's dial key uses it); set by the runtime. */
  dialOut: RoomDialOut | null = null;
  closed = false;

  constructor(deps: ConferenceRuntimeDeps) {
    this.deps = deps;
    this.commands = new RuntimeHostCommands(this);
    this.metrics = deps.metrics ?? NO_CALL_METRICS;
    this.log = deps.logger.child({ component: 'conference-runtime' });
    this.prompts = new PromptFiles(deps.soundsDir);
    this.bus = new LiveBus(
      (roomId) => this.snapshot(roomId),
      (err) => {
        this.log.warn({ err }, 'live subscriber failed');
      },
      { now: () => this.now() },
    );
  }

  now(): Date {
    return this.deps.clock();
  }

  /** The room's state, created on first use. */
  roomState(roomId: string): RoomState {
    let state = this.rooms.get(roomId);
    if (state === undefined) {
      state = new RoomState(roomId);
      this.rooms.set(roomId, state);
    }
    return state;
  }

  /** The masked live view of the room's running conference (members and waiting callers); the same object while nothing in it changed. */
  snapshot(roomId: string): LiveConference | null {
    const state = this.rooms.get(roomId);
    const conference = state?.conference;
    if (state === undefined || conference === undefined || conference === null) return null;
    const recording = conference.recording?.status ?? 'off';
    const sessions = [...conference.members.values(), ...state.waiting];
    const inputs: unknown[] = [conference.record, recording];
    for (const s of sessions) inputs.push(s.record, s.dialPhase);
    return state.liveView.get(inputs, () => {
      const phases = new Map(sessions.flatMap((s) => (s.dialPhase === null ? [] : [[s.id, s.dialPhase] as const])));
      return toLiveConference(conference.record, sessions.map((s) => s.record), recording, phases);
    });
  }

  /** Publishes a live event to the room. */
  publish(roomId: string, event: LiveEvent): void {
    this.bus.publish(roomId, event);
  }

  /** Publishes the conference's whole view (`conference-updated`), e.g. after its recording changed. */
  publishConference(running: RunningConference): void {
    const snapshot = this.snapshot(running.record.roomId);
    if (snapshot !== null && snapshot.id === running.record.id) this.publish(running.record.roomId, { type: 'conference-updated', conference: snapshot });
  }

  /** Persists one change (leg row + history entry) and publishes the leg. `null` is no change. */
  apply(session: CallSession, update: LegUpdate): void {
    if (update === null) return;
    const names = update.leg.names;
    rememberSensitive(names.typed, names.hostAssigned, names.lookedUp?.name);
    session.record = update.leg;
    this.deps.store.legs.save(update.leg, update.change, this.now(), actorRecord(currentActor()));
    this.publishLeg(session);
  }

  /** Publishes a leg's current view when its room has a running conference. */
  publishLeg(session: CallSession): void {
    const roomId = session.record.roomId;
    if (roomId === null || session.isGone()) return;
    const conference = this.rooms.get(roomId)?.conference;
    if (conference === null || conference === undefined) return;
    this.publish(roomId, { type: 'leg-updated', conferenceId: conference.record.id, leg: toLiveLeg(session.record, session.dialPhase) });
  }

  /** Starts a conference in the room: its record now, its bridge from the engine. */
  startConference(state: RoomState, room: Room): RunningConference {
    // The room's billing code goes with the meeting; changing it later changes only later meetings.
    const record = startConference(randomUUID(), room.id, this.now(), this.deps.store.rooms.billingCode(room.id));
    this.deps.store.conferences.insert(record);
    const bridgeReady = this.deps.engine.createBridge(`conference-${record.id}`);
    const running: RunningConference = {
      record,
      bridgeReady,
      bridge: null,
      members: new Map(),
      allMuted: false,
      graceTimer: null,
      ending: null,
      recording: null,
      queue: Promise.resolve(),
      announcements: Promise.resolve(),
    };
    state.conference = running;
    bridgeReady.then(
      (bridge) => {
        running.bridge = bridge;
        this.#watchBridge(state, running, bridge);
      },
      (err: unknown) => {
        this.log.error({ err, conferenceId: record.id }, 'bridge could not be created');
        void this.endConference(state, 'engine-error', false);
      },
    );
    this.log.info({ conferenceId: record.id, roomId: room.id }, 'conference started');
    const snapshot = this.snapshot(room.id);
    if (snapshot !== null) this.publish(room.id, { type: 'conference-started', conference: snapshot });
    return running;
  }

  #watchBridge(state: RoomState, running: RunningConference, bridge: Bridge): void {
    bridge.events.on('talking', (engineLegId, talking) => {
      const session = this.byEngineLeg.get(engineLegId);
      if (session?.record.state !== 'joined') return;
      this.apply(session, setFlag(session.record, 'talking', talking));
    });
    bridge.events.on('member-gone', (engineLegId) => {
      const session = this.byEngineLeg.get(engineLegId);
      // A leg's own `hangup` (which says why: media-timeout, bye, …) usually follows in the same
      // tick, its media having closed first: let it speak first, this is only the fallback.
      if (session !== undefined) queueMicrotask(() => { this.legGone(session, { by: 'remote', reason: 'bye' }); });
    });
    bridge.events.on('closed', (reason) => {
      if (running.ending === null) {
        this.log.warn({ conferenceId: running.record.id, reason }, 'bridge closed under a running conference');
        void this.endConference(state, 'engine-error', false);
      }
    });
  }

  /**
   * A leg is gone (its `hangup` event, a bridge `member-gone`, or a failed answer). Runs once
   * per leg: aborts its flow, records `left` with the reason, publishes it, announces the
   * departure, and ends the conference when the room empties or starts the host grace time
   * when the last host left.
   */
  legGone(session: CallSession, cause: HangupCause): void {
    if (session.isGone()) return;
    session.abort.abort();
    const reason = session.leaveReason ?? (cause.by === 'remote' ? 'hangup' : cause.by === 'media-timeout' ? 'media-timeout' : cause.reason);
    const roomId = session.record.roomId;
    const state = roomId === null ? undefined : this.rooms.get(roomId);
    const running = state?.conference ?? null;
    const wasWaiting = state?.waiting.delete(session) ?? false;
    const wasMember = running?.members.delete(session.id) ?? false;
    try {
      this.apply(session, transition(session.record, 'left', this.now(), reason));
    } catch (err) {
      this.log.error({ err, legId: session.id }, 'could not record a leg leaving');
    }
    this.sessions.delete(session.id);
    if (session.leg !== null) this.byEngineLeg.delete(session.leg.id);
    session.log.info({ reason }, 'leg left');

    if (state === undefined || roomId === null) return;
    if (running !== null && (wasMember || wasWaiting)) {
      this.publish(roomId, { type: 'leg-left', conferenceId: running.record.id, legId: session.id, reason });
    }
    if (running !== null && (wasMember || wasWaiting) && running.ending === null) {
      if (running.members.size === 0 && state.waiting.size === 0) {
        void this.endConference(state, 'empty', false);
      } else if (wasMember) {
        this.#announceLeave(running, session);
        if (session.isHost && !state.hostPresent) this.startHostGrace(state, running);
      }
    }
    if (state.idle) this.rooms.delete(roomId);
  }

  /** Starts the room's "end after the last host left" timer, per its setting. */
  startHostGrace(state: RoomState, running: RunningConference): void {
    const room = this.deps.store.rooms.get(state.roomId);
    const seconds = room?.settings.endWhenHostLeavesAfterSeconds ?? null;
    if (seconds === null || running.graceTimer !== null) return;
    running.graceTimer = (this.deps.timers ?? realTimers).after(seconds * 1000, () => {
      running.graceTimer = null;
      if (state.conference === running && !state.hostPresent) void this.endConference(state, 'host-left', true);
    });
  }

  /** Stops the grace timer (a host is back). */
  cancelHostGrace(running: RunningConference): void {
    running.graceTimer?.cancel();
    running.graceTimer = null;
  }

  /**
   * Ends the room's conference: optionally announces it, hangs up every member (and, when a
   * host ended it or the server stops, everyone waiting), closes the bridge, records the end
   * and publishes it. Idempotent: a second call returns the first one's promise.
   */
  endConference(state: RoomState, reason: string, announce: boolean): Promise<void> {
    const running = state.conference;
    if (running === null) return Promise.resolve();
    running.ending ??= this.#end(state, running, reason, announce);
    return running.ending;
  }

  async #end(state: RoomState, running: RunningConference, reason: string, announce: boolean): Promise<void> {
    // Yield first, so that `running.ending` is set before any leg hangs up (an engine may
    // report the hang-up synchronously, and that must not start a second ending).
    await Promise.resolve();
    this.cancelHostGrace(running);
    // The recording ends with the meeting: the file is finished and described first.
    await finishRecording(this, running).catch((err: unknown) => {
      this.log.error({ err: toAppError(err) }, 'recording could not be finished');
    });
    const bridge = running.bridge;
    if (announce && bridge !== null && !bridge.closed) {
      await withTimeout(bridge.playToAll([this.prompts.path('conference-ending')]), ANNOUNCE_TIMEOUT_MS, 'end announcement').catch((err: unknown) => {
        this.log.warn({ err: toAppError(err) }, 'end announcement failed');
      });
    }
    const everyone = [...running.members.values(), ...(reason === 'ended-by-host' || reason === 'shutdown' ? state.waiting : [])];
    await Promise.allSettled(everyone.map((s) => this.hangup(s, reason)));
    if (bridge !== null) {
      await bridge.close(reason).catch((err: unknown) => {
        this.log.warn({ err }, 'bridge close failed');
      });
    }
    try {
      running.record = endRecord(running.record, this.now(), reason);
      this.deps.store.conferences.update(running.record);
    } catch (err) {
      this.log.error({ err }, 'could not record the conference end');
    }
    if (state.conference === running) state.conference = null;
    // Directory answers are cached for the conference only, and spoken names go with it.
    this.deps.names?.endScope(state.roomId);
    await forgetNameClips(this.deps.store, running.record.id, state.roomId, this.now(), this.log);
    try {
      this.deps.onConferenceEnded?.(running.record.id);
    } catch (err) {
      this.log.error({ err }, 'conference-ended listener failed');
    }
    this.log.info({ conferenceId: running.record.id, reason }, 'conference ended');
    this.publish(state.roomId, { type: 'conference-ended', conferenceId: running.record.id, reason });
    if (state.idle) this.rooms.delete(state.roomId);
  }

  /** Hangs a call up on purpose, recording `reason`; settles when the leg is gone. */
  async hangup(session: CallSession, reason: string): Promise<void> {
    session.leaveReason ??= reason;
    session.abort.abort();
    const leg = session.leg;
    if (leg === null) {
      await session.offered.reject(reason === 'shutdown' ? 503 : 480).catch(() => undefined);
    } else {
      await withTimeout(leg.hangup(reason), HANGUP_TIMEOUT_MS, 'hang-up').catch((err: unknown) => {
        session.log.warn({ err }, 'hang-up failed; destroying the leg');
        leg.destroy(err instanceof Error ? err : undefined);
      });
    }
    // The engine reports the hang-up as an event; record it here too in case it did not.
    this.legGone(session, { by: 'local', reason });
  }

  /** Plays prompts to everyone in the room without waiting; failures are logged. */
  announce(running: RunningConference, files: readonly string[]): void {
    const bridge = running.bridge;
    if (files.length === 0 || bridge === null || bridge.closed) return;
    withTimeout(bridge.playToAll(files), ANNOUNCE_TIMEOUT_MS, 'announcement').catch((err: unknown) => {
      this.log.debug({ err }, 'announcement failed');
    });
  }

  /** Plays prompts to one leg without waiting (keypad feedback, notices). */
  tell(session: CallSession, files: readonly string[]): void {
    const leg = session.leg;
    if (leg === null || isClosed(leg)) return;
    leg.play(files).catch((err: unknown) => {
      session.log.debug({ err }, 'prompt failed');
    });
  }

  /**
   * Entry tone and/or "<name> has joined", per the room's settings: queued behind the
   * conference's other arrivals and departures (two legs joining at once are both
   * announced), and the joiner is deaf to the room while theirs plays, so nobody hears
   * their own name announced.
   */
  announceJoin(running: RunningConference, session: CallSession): void {
    this.#queueAnnouncement(running, this.#arrivalFiles(session, 'entry-tone', 'has-joined'), session);
  }

  #announceLeave(running: RunningConference, session: CallSession): void {
    this.#queueAnnouncement(running, this.#arrivalFiles(session, 'exit-tone', 'has-left'), null);
  }

  #queueAnnouncement(running: RunningConference, files: readonly string[], self: CallSession | null): void {
    if (files.length === 0) return;
    running.announcements = running.announcements.then(() => this.#announceNow(running, files, self));
  }

  async #announceNow(running: RunningConference, files: readonly string[], self: CallSession | null): Promise<void> {
    const bridge = running.bridge;
    if (bridge === null || bridge.closed || running.ending !== null) return;
    const leg = self?.leg ?? null;
    const inRoom = (): boolean => self !== null && leg !== null && !isClosed(leg) && running.members.has(self.id) && self.record.state === 'joined' && !self.record.flags.deaf;
    const deafened = inRoom() && leg !== null ? await bridge.setDeaf(leg, true).then(() => true, () => false) : false;
    try {
      await withTimeout(bridge.playToAll(files), ANNOUNCE_TIMEOUT_MS, 'announcement');
    } catch (err) {
      this.log.debug({ err }, 'announcement failed');
    } finally {
      // A bridge closed meanwhile rejects; the leg is out of the room then anyway.
      if (deafened && leg !== null && inRoom()) {
        await bridge.setDeaf(leg, false).catch((err: unknown) => {
          this.log.debug({ err }, 'could not undeafen the joiner after their announcement');
        });
      }
    }
  }

  #arrivalFiles(session: CallSession, tone: 'entry-tone' | 'exit-tone', words: 'has-joined' | 'has-left'): string[] {
    const settings = session.room?.settings;
    if (settings === undefined) return [];
    const files: string[] = [];
    if (settings.entryExitTones) files.push(this.prompts.path(tone));
    const clip = session.record.names.spokenClipPath;
    if (settings.announceNames && clip !== null) files.push(clip, this.prompts.path(words));
    return files;
  }
}
