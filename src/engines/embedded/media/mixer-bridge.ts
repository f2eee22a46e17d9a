import { AppError } from '../../../lib/errors.ts';
import { TypedEmitter } from '../../../lib/typed-emitter.ts';
import type { Bridge, BridgeEvents, MemberOptions, RoomRecordingOptions } from '../../../ports/bridge.ts';
import type { Leg } from '../../../ports/leg.ts';
import { FRAME_SAMPLES } from './frame.ts';
import { ALAW_ENCODE, encodeG711, ULAW_ENCODE } from './g711.ts';
import { FrameSource } from './frame-source.ts';
import { mediaClock, type MediaClock, type Ticker } from './media-clock.ts';
import type { MediaChannel } from './media-channel.ts';
import { GAIN_ONE, gainFromDb, MIX_GATE_LEVEL, mixFrames, type MixSlot } from './mix.ts';
import { RtpMediaChannel, type BridgeAttachment } from './rtp-media-channel.ts';
import { loadPrompt } from './wav-cache.ts';
import { WavWriter } from './wav-writer.ts';

/** What the mixer needs of a leg: its id and whether it hung up (a media worker passes just that). */
export type MemberLeg = Pick<Leg, 'id' | 'closed'>;

interface Member {
  readonly leg: MemberLeg;
  readonly channel: RtpMediaChannel;
  readonly slot: MixSlot;
  muted: boolean;
  deaf: boolean;
  held: boolean;
  /** Switches to restore on unhold. */
  savedMuted: boolean;
  savedDeaf: boolean;
  /** Talking state last reported for this member. */
  reportedTalking: boolean;
}

interface Announcement {
  readonly source: FrameSource;
  readonly resolve: () => void;
}

/** The room mix encoded with one codec table, valid for one tick. */
interface EncodedMix {
  table: Uint8Array;
  readonly payload: Uint8Array;
  tick: number;
}

interface RoomRecording {
  readonly writer: WavWriter;
  paused: boolean;
}

/**
 * A conference room mixed in this process (see {@link Bridge}). On each 20 ms tick of the
 * shared media clock (after every channel read its input, before any sends) it computes the
 * N−1 mix into each member's outgoing frame, overlays `playToAll` announcements for members
 * who hear the room, reports talking changes, and appends the room mix to a recording.
 * Per-tick work allocates nothing; slot arrays are rebuilt only when membership changes.
 */
class MixerBridge implements Bridge, BridgeAttachment, Ticker {
  readonly id: string;
  readonly events = new TypedEmitter<BridgeEvents>();
  readonly #channelOf: (leg: MemberLeg) => MediaChannel | undefined;
  readonly #clock: MediaClock;
  readonly #members = new Map<string, Member>();
  #slots: MixSlot[] = [];
  #order: Member[] = [];
  readonly #sum = new Int32Array(FRAME_SAMPLES);
  readonly #announceFrame = new Int16Array(FRAME_SAMPLES);
  /** This tick's room mix (saturated); what every hearing non-contributor hears. */
  readonly #common = new Int16Array(FRAME_SAMPLES);
  readonly #ulaw: EncodedMix = { table: ULAW_ENCODE, payload: new Uint8Array(FRAME_SAMPLES), tick: -1 };
  readonly #alaw: EncodedMix = { table: ALAW_ENCODE, payload: new Uint8Array(FRAME_SAMPLES), tick: -1 };
  #tick = 0;
  #announcement: Announcement | undefined;
  #recording: RoomRecording | undefined;
  #closed = false;

  constructor(id: string, channelOf: (leg: MemberLeg) => MediaChannel | undefined, clock: MediaClock) {
    this.id = id;
    this.#channelOf = channelOf;
    this.#clock = clock;
    this.#clock.add('mix', this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get memberIds(): readonly string[] {
    return [...this.#members.keys()];
  }

  add(leg: MemberLeg, options: MemberOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(closedError(this.id));
    const channel = this.#channelOf(leg);
    if (channel === undefined || channel.closed || leg.closed) {
      return Promise.reject(new AppError('LEG_GONE', 'leg has no live media', { details: { legId: leg.id } }));
    }
    if (!(channel instanceof RtpMediaChannel)) {
      return Promise.reject(new AppError('INTERNAL', 'channel is not an embedded RTP channel', { details: { legId: leg.id } }));
    }
    const existing = this.#members.get(leg.id);
    if (existing !== undefined) {
      existing.muted = options.muted ?? existing.muted;
      existing.deaf = options.deaf ?? existing.deaf;
      this.#applySwitches(existing);
      return Promise.resolve();
    }
    // A leg in another bridge moves here.
    if (channel.bridge !== undefined && channel.bridge !== this) channel.bridge.detach(channel);
    const member: Member = {
      leg,
      channel,
      slot: {
        input: channel.inFrame,
        output: channel.outFrame,
        scaled: new Int32Array(FRAME_SAMPLES),
        contributes: true,
        hears: true,
        gain: GAIN_ONE,
      },
      muted: options.muted ?? false,
      deaf: options.deaf ?? false,
      held: false,
      savedMuted: false,
      savedDeaf: false,
      reportedTalking: false,
    };
    this.#applySwitches(member);
    channel.bridge = this;
    this.#members.set(leg.id, member);
    this.#rebuild();
    return Promise.resolve();
  }

  remove(leg: MemberLeg): Promise<void> {
    if (this.#closed) return Promise.reject(closedError(this.id));
    const member = this.#members.get(leg.id);
    if (member !== undefined) this.#drop(member);
    return Promise.resolve();
  }

  setMuted(leg: MemberLeg, muted: boolean): Promise<void> {
    return this.#withMember(leg, (m) => {
      if (m.held) m.savedMuted = muted;
      else m.muted = muted;
    });
  }

  setDeaf(leg: MemberLeg, deaf: boolean): Promise<void> {
    return this.#withMember(leg, (m) => {
      if (m.held) m.savedDeaf = deaf;
      else m.deaf = deaf;
    });
  }

  async setHeld(leg: MemberLeg, held: boolean, musicFiles: readonly string[] = []): Promise<void> {
    const member = this.#member(leg);
    if (held) {
      if (!member.held) {
        member.savedMuted = member.muted;
        member.savedDeaf = member.deaf;
        member.held = true;
        member.muted = true;
        member.deaf = true;
        this.#applySwitches(member);
      }
      await member.channel.setMusic(musicFiles);
    } else if (member.held) {
      member.held = false;
      member.muted = member.savedMuted;
      member.deaf = member.savedDeaf;
      this.#applySwitches(member);
      await member.channel.setMusic(undefined);
    }
  }

  setVolume(leg: MemberLeg, gainDb: number): Promise<void> {
    if (!Number.isFinite(gainDb)) return Promise.reject(new AppError('BAD_REQUEST', 'gain must be a number of dB'));
    const db = Math.max(-12, Math.min(12, gainDb));
    return this.#withMember(leg, (m) => {
      m.slot.gain = gainFromDb(db);
    });
  }

  async playToAll(files: readonly string[]): Promise<void> {
    if (this.#closed) throw closedError(this.id);
    const clips = await Promise.all(files.map((f) => loadPrompt(f)));
    if (this.#isClosed()) return;
    this.#announcement?.resolve();
    await new Promise<void>((resolve) => {
      this.#announcement = { source: new FrameSource(clips, false), resolve };
    });
  }

  async startRecording(path: string, options: RoomRecordingOptions = {}): Promise<void> {
    if (this.#closed) throw closedError(this.id);
    if (this.#recording !== undefined) {
      throw new AppError('INVALID_TRANSITION', 'the room is already being recorded', { details: { bridgeId: this.id } });
    }
    const writer = await WavWriter.create(path, {
      encoding: options.encoding ?? 'pcm16',
      onError: (err) => {
        this.#writeFailed(writer, err);
      },
    });
    if (this.#isClosed() || this.#isRecording()) {
      await writer.finish();
      throw this.#isClosed() ? closedError(this.id) : new AppError('INVALID_TRANSITION', 'the room is already being recorded');
    }
    this.#recording = { writer, paused: false };
  }

  pauseRecording(): Promise<void> {
    return this.#withRecording((r) => {
      r.paused = true;
    });
  }

  resumeRecording(): Promise<void> {
    return this.#withRecording((r) => {
      r.paused = false;
    });
  }

  async stopRecording(): Promise<{ path: string; durationMs: number }> {
    if (this.#closed) throw closedError(this.id);
    const recording = this.#recording;
    if (recording === undefined) {
      throw new AppError('INVALID_TRANSITION', 'the room is not being recorded', { details: { bridgeId: this.id } });
    }
    return this.#finishRecording(recording);
  }

  async close(reason = 'closed'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.delete('mix', this);
    for (const member of [...this.#members.values()]) this.#drop(member);
    this.#announcement?.resolve();
    this.#announcement = undefined;
    const recording = this.#recording;
    if (recording !== undefined) {
      try {
        await this.#finishRecording(recording);
      } catch {
        // The file could not be finalised; closing goes on.
      }
    }
    this.events.safeEmit('closed', reason);
    this.events.removeAllListeners();
  }

  /** BridgeAttachment: the member's channel closed (its leg hung up). */
  channelClosed(channel: RtpMediaChannel): void {
    const member = this.#memberOf(channel);
    if (member === undefined) return;
    this.#drop(member);
    this.events.safeEmit('member-gone', member.leg.id);
  }

  /** BridgeAttachment: the channel moves to another bridge. */
  detach(channel: RtpMediaChannel): void {
    const member = this.#memberOf(channel);
    if (member !== undefined) this.#drop(member);
  }

  /** Ticker: the mix phase of one 20 ms tick. */
  tick(): void {
    if (this.#closed) return;
    this.#tick++;
    const order = this.#order;
    const count = order.length;
    // The energy gate: members saying nothing are left out of the sum (and share one frame).
    for (let i = 0; i < count; i++) {
      const member = order[i];
      if (member !== undefined) member.slot.contributes = !member.muted && member.channel.level >= MIX_GATE_LEVEL;
    }
    let extra: Int16Array | undefined;
    const announcement = this.#announcement;
    if (announcement !== undefined) {
      this.#announceFrame.fill(0);
      if (announcement.source.mixInto(this.#announceFrame)) extra = this.#announceFrame;
      if (announcement.source.done) {
        this.#announcement = undefined;
        announcement.resolve();
      }
    }
    mixFrames(this.#slots, count, this.#sum, this.#common, extra);
    for (let i = 0; i < count; i++) {
      const member = order[i];
      if (member === undefined) continue;
      const channel = member.channel;
      channel.mixedThisTick = true;
      channel.sharedMix = member.slot.hears && !member.slot.contributes ? this : undefined;
      const talking = channel.talk.talking;
      if (talking !== member.reportedTalking) {
        member.reportedTalking = talking;
        this.events.safeEmit('talking', member.leg.id, talking);
      }
    }
    // `#common` is the sum of members and room announcements only: a prompt to one member is
    // added later, in that member's own frame (RtpMediaChannel), so it never reaches here.
    const recording = this.#recording;
    if (recording !== undefined && !recording.paused) recording.writer.append(this.#common);
  }

  /** BridgeAttachment: this tick's room mix, encoded once per codec for every member who hears exactly it. */
  encodedMix(table: Uint8Array): Uint8Array {
    const slot = table === this.#ulaw.table ? this.#ulaw : this.#alaw;
    if (slot.table !== table) {
      // A codec other than the two G.711 laws: encode into the spare slot.
      slot.table = table;
      slot.tick = -1;
    }
    if (slot.tick !== this.#tick) {
      encodeG711(table, this.#common, 0, slot.payload, 0, FRAME_SAMPLES);
      slot.tick = this.#tick;
    }
    return slot.payload;
  }

  async #finishRecording(recording: RoomRecording): Promise<{ path: string; durationMs: number }> {
    if (this.#recording === recording) this.#recording = undefined;
    const durationMs = await recording.writer.finish();
    const path = recording.writer.path;
    this.events.safeEmit('recording-done', path, durationMs);
    return { path, durationMs };
  }

  /** A write of the recording failed: stop it at once and keep what was written. */
  #writeFailed(writer: WavWriter, err: AppError): void {
    const recording = this.#recording;
    if (recording?.writer !== writer) return;
    this.events.safeEmit('recording-failed', writer.path, err);
    void this.#finishRecording(recording).catch(() => undefined);
  }

  #applySwitches(member: Member): void {
    // `contributes` is decided each tick (mute and the energy gate); `hears` only here.
    member.slot.contributes = !member.muted;
    member.slot.hears = !member.deaf;
  }

  #drop(member: Member): void {
    if (this.#members.get(member.leg.id) !== member) return;
    this.#members.delete(member.leg.id);
    if (member.channel.bridge === this) member.channel.bridge = undefined;
    if (member.channel.sharedMix === this) member.channel.sharedMix = undefined;
    if (member.held) void member.channel.setMusic(undefined).catch(() => undefined);
    if (member.reportedTalking) this.events.safeEmit('talking', member.leg.id, false);
    this.#rebuild();
  }

  #rebuild(): void {
    this.#order = [...this.#members.values()];
    this.#slots = this.#order.map((m) => m.slot);
  }

  #memberOf(channel: RtpMediaChannel): Member | undefined {
    for (const m of this.#members.values()) if (m.channel === channel) return m;
    return undefined;
  }

  #member(leg: MemberLeg): Member {
    if (this.#closed) throw closedError(this.id);
    const member = this.#members.get(leg.id);
    if (member === undefined) {
      throw new AppError(leg.closed ? 'LEG_GONE' : 'NOT_FOUND', 'leg is not in this bridge', {
        details: { legId: leg.id, bridgeId: this.id },
      });
    }
    return member;
  }

  #withMember(leg: MemberLeg, change: (m: Member) => void): Promise<void> {
    return new Promise((resolve) => {
      // #member throws for a closed bridge or a stranger: the executor turns that into a rejection.
      const member = this.#member(leg);
      change(member);
      this.#applySwitches(member);
      resolve();
    });
  }

  // Read through methods: these change while an operation awaits a file.
  #isClosed(): boolean {
    return this.#closed;
  }

  #isRecording(): boolean {
    return this.#recording !== undefined;
  }

  #withRecording(change: (r: RoomRecording) => void): Promise<void> {
    if (this.#closed) return Promise.reject(closedError(this.id));
    const recording = this.#recording;
    if (recording === undefined) {
      return Promise.reject(new AppError('INVALID_TRANSITION', 'the room is not being recorded', { details: { bridgeId: this.id } }));
    }
    change(recording);
    return Promise.resolve();
  }
}

/** A mixer bridge: the Bridge port, whose leg arguments need only an id and `closed`. */
export type MixerBridgeHandle = Bridge & {
  add(leg: MemberLeg, options?: MemberOptions): Promise<void>;
  remove(leg: MemberLeg): Promise<void>;
  setMuted(leg: MemberLeg, muted: boolean): Promise<void>;
  setDeaf(leg: MemberLeg, deaf: boolean): Promise<void>;
  setHeld(leg: MemberLeg, held: boolean, musicFiles?: readonly string[]): Promise<void>;
  setVolume(leg: MemberLeg, gainDb: number): Promise<void>;
};

function closedError(id: string): AppError {
  return new AppError('ENGINE_CLOSED', 'bridge is closed', { details: { bridgeId: id } });
}

/**
 * Creates a mixer bridge on the process-wide media clock. `channelOf` maps a leg to its
 * media channel (the bridge uses `leg.id` and that channel only); a member whose channel
 * closes is removed and reported with `member-gone`.
 */
export function createMixerBridge(id: string, channelOf: (leg: MemberLeg) => MediaChannel | undefined): MixerBridgeHandle {
  return new MixerBridge(id, channelOf, mediaClock);
}
