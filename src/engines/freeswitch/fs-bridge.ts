import { AppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { Bridge, BridgeEvents, MemberOptions } from '../../ports/bridge.ts';
import type { Leg } from '../../ports/leg.ts';
import {
  deafCommand,
  holdCommands,
  hupCommand,
  joinArgs,
  muteCommand,
  playCommand,
  recordingCommand,
  stopPlayCommand,
  volumeCommand,
} from './commands.ts';
import type { ConferenceEvent } from './conference-events.ts';
import { deferred, type Deferred } from './deferred.ts';
import { FsLeg } from './fs-leg.ts';
import { parseJsonList } from './json-list.ts';
import { MEDIA_RUN_MAX_MS, type EngineContext } from './leg-context.ts';

interface Member {
  readonly leg: FsLeg;
  memberId: string;
  muted: boolean;
  deaf: boolean;
  /** Hold music while held; replayed when it ends unless it is an endless stream. */
  held: readonly string[] | undefined;
}

interface Recording {
  readonly path: string;
  readonly startedAt: number;
  pausedAt: number | undefined;
  pausedMs: number;
  stopped: Deferred<number | undefined> | undefined;
}

/**
 * A room as a FreeSWITCH conference (mod_conference). Members are joined by running the
 * `conference` application on their channel — not fsmrf's `createConference`, whose control
 * leg counts as a member and whose `destroy()` hangs (FIELD-NOTES) — and are driven with
 * `conference <name> …` API commands. State changes arrive as translated
 * `conference::maintenance` events through {@link FsBridge.onConferenceEvent}.
 */
export class FsBridge implements Bridge {
  readonly events = new TypedEmitter<BridgeEvents>();
  readonly #ctx: EngineContext;
  readonly #members = new Map<string, Member>();
  readonly #pendingJoins = new Map<string, Deferred<string>>();
  readonly #playAll: Deferred<undefined>[] = [];
  readonly #onClosed: (bridge: FsBridge) => void;
  #recording: Recording | undefined;
  #closed = false;

  constructor(
    readonly id: string,
    ctx: EngineContext,
    onClosed: (bridge: FsBridge) => void,
  ) {
    this.#ctx = ctx;
    this.#onClosed = onClosed;
    this.events.onListenerError = (err, event) => ctx.logger?.error({ err, event, bridgeId: id }, 'bridge listener failed');
  }

  get closed(): boolean {
    return this.#closed;
  }

  get memberIds(): readonly string[] {
    return [...this.#members.keys()];
  }

  async add(leg: Leg, options: MemberOptions = {}): Promise<void> {
    this.#ensureOpen();
    const fsLeg = this.#ownLeg(leg);
    if (fsLeg.closed) throw new AppError('LEG_GONE', 'the leg has hung up', { details: { legId: leg.id } });
    if (this.#members.has(fsLeg.id)) return;
    const current = fsLeg.membership;
    if (current !== undefined) {
      // Moving from another room: stop its member prompt while it is still one, then leave
      // (hup removes without hanging up).
      fsLeg.stopPlayback();
      await this.#ctx.api(hupCommand(current.conference, current.memberId)).catch(() => undefined);
      current.onLeave(false);
    }
    const joined = deferred<string>();
    this.#pendingJoins.set(fsLeg.uuid, joined);
    const args = joinArgs(this.id, this.#ctx.conferenceProfile, {
      ...(options.muted === true ? { muted: true } : {}),
      ...(options.deaf === true ? { deaf: true } : {}),
    });
    let memberId: string;
    try {
      await fsLeg.startConference(args, () => {
        this.#pendingJoins.get(fsLeg.uuid)?.reject(new AppError('ROOM_FULL', 'the room did not accept the member'));
      });
      // A locked room, max members or a PIN leaves a join pending forever (FIELD-NOTES).
      memberId = await withTimeout(joined.promise, this.#ctx.operationTimeoutMs, 'join room');
    } finally {
      this.#pendingJoins.delete(fsLeg.uuid);
    }
    const member: Member = {
      leg: fsLeg,
      memberId,
      muted: options.muted === true,
      deaf: options.deaf === true,
      held: undefined,
    };
    this.#members.set(fsLeg.id, member);
    fsLeg.setMembership({
      conference: this.id,
      memberId,
      onLeave: (gone) => {
        this.#forget(fsLeg.id, member, gone);
      },
      deafByRoom: () => member.deaf || member.held !== undefined,
    });
  }

  async remove(leg: Leg): Promise<void> {
    this.#ensureOpen();
    const member = this.#members.get(leg.id);
    if (member === undefined) return;
    this.#forget(leg.id, member, false);
    if (!member.leg.closed) await this.#ctx.api(hupCommand(this.id, member.memberId));
  }

  async setMuted(leg: Leg, muted: boolean): Promise<void> {
    const member = this.#member(leg);
    member.muted = muted;
    if (member.held === undefined) await this.#ctx.api(muteCommand(this.id, member.memberId, muted));
  }

  async setDeaf(leg: Leg, deaf: boolean): Promise<void> {
    const member = this.#member(leg);
    member.deaf = deaf;
    if (member.held === undefined) await this.#ctx.api(deafCommand(this.id, member.memberId, deaf));
  }

  async setHeld(leg: Leg, held: boolean, musicFiles?: readonly string[]): Promise<void> {
    const member = this.#member(leg);
    if (held) {
      const music = musicFiles !== undefined && musicFiles.length > 0 ? musicFiles : [this.#ctx.holdMusic];
      if (member.held !== undefined) await this.#ctx.api(stopPlayCommand(this.id, member.memberId));
      member.held = music;
      for (const command of holdCommands(this.id, member.memberId, music)) await this.#ctx.api(command);
      return;
    }
    if (member.held === undefined) return;
    member.held = undefined;
    await this.#ctx.api(stopPlayCommand(this.id, member.memberId));
    await this.#ctx.api(muteCommand(this.id, member.memberId, member.muted));
    await this.#ctx.api(deafCommand(this.id, member.memberId, member.deaf));
  }

  async setVolume(leg: Leg, gainDb: number): Promise<void> {
    const member = this.#member(leg);
    await this.#ctx.api(volumeCommand(this.id, member.memberId, gainDb));
  }

  async playToAll(files: readonly string[]): Promise<void> {
    this.#ensureOpen();
    const done = deferred<undefined>();
    const command = playCommand(this.id, files);
    this.#playAll.push(done);
    try {
      await this.#ctx.api(command);
    } catch (err) {
      this.#playAll.splice(this.#playAll.indexOf(done), 1);
      throw err;
    }
    await withTimeout(done.promise, MEDIA_RUN_MAX_MS, 'play to room');
  }

  /**
   * `conference <room> recording start`: mod_conference writes 16-bit PCM through
   * libsndfile whatever `options.encoding` asks (the header says so). Its recorder is a
   * channel-less member fed from the mixer: room-wide `play` is in it, member-only `play`
   * (added in that member's output loop) is not.
   */
  async startRecording(path: string): Promise<void> {
    this.#ensureOpen();
    if (this.#recording !== undefined) throw new AppError('INVALID_TRANSITION', 'the room is already recording');
    await this.#ctx.api(recordingCommand(this.id, 'start', path));
    this.#recording = { path, startedAt: Date.now(), pausedAt: undefined, pausedMs: 0, stopped: undefined };
  }

  async pauseRecording(): Promise<void> {
    const rec = this.#activeRecording();
    if (rec.pausedAt !== undefined) return;
    await this.#ctx.api(recordingCommand(this.id, 'pause', rec.path));
    rec.pausedAt = Date.now();
  }

  async resumeRecording(): Promise<void> {
    const rec = this.#activeRecording();
    if (rec.pausedAt === undefined) return;
    await this.#ctx.api(recordingCommand(this.id, 'resume', rec.path));
    rec.pausedMs += Date.now() - rec.pausedAt;
    rec.pausedAt = undefined;
  }

  async stopRecording(): Promise<{ path: string; durationMs: number }> {
    const rec = this.#activeRecording();
    return this.#stopRecording(rec);
  }

  async close(reason = 'closed'): Promise<void> {
    if (this.#closed) return;
    const rec = this.#recording;
    if (rec !== undefined) await this.#stopRecording(rec).catch(() => undefined);
    this.#closed = true;
    for (const [id, member] of [...this.#members]) this.#forget(id, member, false);
    // `hup all` removes everyone (they stay up: hangup_after_conference=false); never
    // fsmrf's conference.destroy(), which hangs (FIELD-NOTES).
    await this.#ctx.api(hupCommand(this.id, 'all')).catch(() => undefined);
    this.#finish(reason);
  }

  /** Ends the bridge without talking to FreeSWITCH (engine shutdown or loss). */
  destroy(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, member] of [...this.#members]) this.#forget(id, member, false);
    this.#finish(reason);
  }

  /** Routed by the engine: one translated `conference::maintenance` event of this room. */
  onConferenceEvent(event: ConferenceEvent): void {
    if (this.#closed) return;
    switch (event.kind) {
      case 'member-added': {
        const pending = this.#pendingJoins.get(event.uuid);
        if (pending !== undefined) pending.resolve(event.memberId);
        else if (!this.#hasUuid(event.uuid)) {
          // A join we had given up on completed late: undo it.
          void this.#ctx.api(hupCommand(this.id, event.memberId)).catch(() => undefined);
        }
        return;
      }
      case 'member-removed': {
        const entry = this.#byUuid(event.uuid);
        if (entry === undefined) return;
        this.#forget(entry[0], entry[1], true);
        return;
      }
      case 'talking': {
        const entry = this.#byUuid(event.uuid);
        if (entry !== undefined) this.events.safeEmit('talking', entry[0], event.talking);
        return;
      }
      case 'member-play-done': {
        const entry = this.#byUuid(event.uuid);
        if (entry === undefined) return;
        const member = entry[1];
        if (member.held !== undefined) {
          // Hold music loops until unhold; an endless stream never ends on its own.
          void this.#ctx.api(playCommand(this.id, member.held, member.memberId)).catch(() => undefined);
        } else {
          member.leg.memberPlayDone();
        }
        return;
      }
      case 'play-done':
        this.#playAll.shift()?.resolve(undefined);
        return;
      case 'recording': {
        const rec = this.#recording;
        if (event.state === 'stopped' && rec?.path === event.path) {
          rec.stopped?.resolve(event.durationMs);
        }
        return;
      }
      case 'conference-ended':
        // The last member left; the bridge lives on (the next add re-creates the room).
        this.#playAll.splice(0).forEach((d) => {
          d.resolve(undefined);
        });
        return;
      case 'muted':
      case 'deaf':
      case 'locked':
      case 'conference-created':
        // Echoes of our own commands; state is kept on our side.
        return;
    }
  }

  /**
   * After the control connection was rebuilt: reconciles members with
   * `conference <name> json_list`. Members FreeSWITCH no longer has are reported gone; member
   * ids are refreshed.
   */
  reconcile(reply: string): void {
    if (this.#closed) return;
    const listed = parseJsonList(reply) ?? [];
    const byUuid = new Map(listed.map((m) => [m.uuid, m]));
    for (const [id, member] of [...this.#members]) {
      const found = byUuid.get(member.leg.uuid);
      if (found === undefined) {
        this.#forget(id, member, true);
      } else {
        member.memberId = found.memberId;
      }
    }
    for (const pending of this.#pendingJoins.values()) pending.reject(new AppError('ENGINE_UNAVAILABLE', 'media server reconnected during join'));
  }

  async #stopRecording(rec: Recording): Promise<{ path: string; durationMs: number }> {
    rec.stopped = deferred<number | undefined>();
    await this.#ctx.api(recordingCommand(this.id, 'stop', rec.path));
    const reported = await withTimeout(rec.stopped.promise, this.#ctx.operationTimeoutMs, 'stop recording').catch(
      () => undefined,
    );
    this.#recording = undefined;
    const pausedMs = rec.pausedMs + (rec.pausedAt === undefined ? 0 : Date.now() - rec.pausedAt);
    const durationMs = reported ?? Math.max(0, Date.now() - rec.startedAt - pausedMs);
    this.events.safeEmit('recording-done', rec.path, durationMs);
    return { path: rec.path, durationMs };
  }

  #forget(legId: string, member: Member, gone: boolean): void {
    if (this.#members.get(legId) !== member) return;
    this.#members.delete(legId);
    if (member.leg.membership?.conference === this.id) member.leg.setMembership(undefined);
    if (gone && !this.#closed) this.events.safeEmit('member-gone', legId);
  }

  #byUuid(uuid: string): [string, Member] | undefined {
    for (const entry of this.#members) if (entry[1].leg.uuid === uuid) return entry;
    return undefined;
  }

  #hasUuid(uuid: string): boolean {
    return this.#byUuid(uuid) !== undefined;
  }

  #member(leg: Leg): Member {
    this.#ensureOpen();
    const member = this.#members.get(leg.id);
    if (member === undefined) {
      throw new AppError(leg.closed ? 'LEG_GONE' : 'NOT_FOUND', 'the leg is not in this room', { details: { legId: leg.id } });
    }
    return member;
  }

  #activeRecording(): Recording {
    this.#ensureOpen();
    if (this.#recording === undefined) throw new AppError('INVALID_TRANSITION', 'the room is not recording');
    return this.#recording;
  }

  #ownLeg(leg: Leg): FsLeg {
    if (!(leg instanceof FsLeg)) throw new AppError('BAD_REQUEST', 'the leg does not belong to the freeswitch engine');
    return leg;
  }

  #ensureOpen(): void {
    if (this.#closed) throw new AppError('ENGINE_CLOSED', 'the bridge is closed', { details: { bridgeId: this.id } });
  }

  #finish(reason: string): void {
    for (const pending of this.#pendingJoins.values()) pending.reject(new AppError('ENGINE_CLOSED', 'the bridge closed'));
    this.#playAll.splice(0).forEach((d) => {
      d.resolve(undefined);
    });
    this.#onClosed(this);
    this.events.safeEmit('closed', reason);
  }
}
