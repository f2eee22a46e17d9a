import type { Socket } from 'node:dgram';
import type { Logger } from 'pino';
import { AppError } from '../../../lib/errors.ts';
import { TypedEmitter } from '../../../lib/typed-emitter.ts';
import type {
  CollectOptions,
  CollectResult,
  DtmfSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../../ports/media-options.ts';
import { JitterBuffer } from '../rtp/jitter-buffer.ts';
import { createRtpView, parseRtp } from '../rtp/rtp-packet.ts';
import { RtpSender, type RtpSenderState } from '../rtp/rtp-sender.ts';
import { StreamContinuity, type StreamState } from '../rtp/stream-continuity.ts';
import { RtpLossCounter } from '../rtp/rtp-loss.ts';
import { createRtpStats, type RtpStats } from '../rtp/rtp-stats.ts';
import { BEEP } from './beep.ts';
import { DigitCollector } from './digit-collector.ts';
import { DtmfDeduplicator } from './dtmf-dedup.ts';
import { DtmfReceiver, type DtmfReceiverState } from './dtmf-receiver.ts';
import { DtmfSender } from './dtmf-sender.ts';
import { FRAME_MS, FRAME_SAMPLES, frameLevel } from './frame.ts';
import { codecByName } from './g711.ts';
import { InbandDtmfDetector } from './inband-dtmf-detector.ts';
import { LegRecorder } from './leg-recorder.ts';
import type { MediaClock, Ticker } from './media-clock.ts';
import type { MediaChannel, MediaChannelEvents, NegotiatedMedia } from './media-channel.ts';
import { FrameSource } from './frame-source.ts';
import { digitOfEvent } from './telephone-event.ts';
import { PromptSlot } from './prompt-slot.ts';
import { TalkDetector } from './talk-detector.ts';
import { loadPrompt } from './wav-cache.ts';
import { WavWriter } from './wav-writer.ts';

/** Type-ahead digits older than this are not replayed to a later collectDigits. */
const TYPE_AHEAD_MS = 10_000;
/** At most this many type-ahead digits are kept. */
const TYPE_AHEAD_MAX = 32;

/** RFC 3551 §6: comfort noise (RFC 3389) — accepted as a sign of life, not played. */
const PT_COMFORT_NOISE = 13;

/** What a mixer bridge attaches to a channel it holds. */
export interface BridgeAttachment {
  /** Called when the channel closes, so the bridge drops the member. */
  channelClosed(channel: RtpMediaChannel): void;
  /** Called when the channel joins another bridge (a move). */
  detach(channel: RtpMediaChannel): void;
  /** This tick's room mix encoded with `table` (shared by every member who hears exactly it). */
  encodedMix(table: Uint8Array): Uint8Array;
}

/** Construction parameters (from the media service). */
export interface RtpMediaChannelOptions {
  readonly id: string;
  readonly socket: Socket;
  readonly localAddress: string;
  readonly localPort: number;
  readonly mediaTimeoutMs: number;
  readonly clock: MediaClock;
  readonly onClose: (channel: RtpMediaChannel) => void;
  readonly logger?: Logger | undefined;
  /** Continue a leg that moved here from another worker (its stream and negotiated far end). */
  readonly resume?: ChannelResumeState;
}

/**
 * What a leg's media carries when it moves to another worker: our stream (same SSRC, next
 * sequence number and timestamp), the negotiated far end, and what we know of the far end's
 * stream — its SSRC and sequence, and the telephone-events already reported, so the redundant
 * end packets of a key pressed just before the move are not a second press.
 */
export interface ChannelResumeState {
  readonly sender: RtpSenderState;
  readonly media: NegotiatedMedia | undefined;
  readonly confirmed: boolean;
  readonly receiver: { readonly dtmf: DtmfReceiverState; readonly stream: StreamState };
}

/**
 * One leg's media over a connected UDP socket (see {@link MediaChannel}). Each 20 ms tick it
 * reads a frame from the jitter buffer (`receive` phase), lets a bridge mix (`mix` phase),
 * then adds its own prompt, encodes and sends (`send` phase).
 */
export class RtpMediaChannel implements MediaChannel {
  readonly id: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly events = new TypedEmitter<MediaChannelEvents>();
  readonly stats: RtpStats = createRtpStats();
  /** Packets lost on the way in (sequence gaps), for the engine's metrics. */
  readonly loss = new RtpLossCounter();

  /** What the far end said this tick (valid after the receive phase). */
  readonly inFrame = new Int16Array(FRAME_SAMPLES);
  /** What we send this tick; a bridge writes its mix here in the mix phase. */
  readonly outFrame = new Int16Array(FRAME_SAMPLES);
  /** Set by a bridge when it wrote `outFrame` this tick. */
  mixedThisTick = false;
  /** Set by a bridge when `outFrame` is exactly its room mix this tick, so the encoding can be shared. */
  sharedMix: BridgeAttachment | undefined;
  /** The bridge holding this channel, if any. */
  bridge: BridgeAttachment | undefined;
  /** Level (mean absolute amplitude) of this tick's `inFrame`. */
  level = 0;
  readonly talk = new TalkDetector();

  readonly #socket: Socket;
  readonly #clock: MediaClock;
  readonly #onClose: (channel: RtpMediaChannel) => void;
  readonly #logger: Logger | undefined;
  readonly #mediaTimeoutTicks: number;
  readonly #view = createRtpView();
  readonly #jitter = new JitterBuffer();
  readonly #sender: RtpSender;
  readonly #dtmfIn: DtmfReceiver;
  readonly #dtmfOut = new DtmfSender();
  readonly #dedup = new DtmfDeduplicator();
  readonly #stream: StreamContinuity;
  #inband: InbandDtmfDetector | undefined;
  #media: NegotiatedMedia | undefined;
  #decodeTable: Int16Array | undefined;
  #connectState: 'idle' | 'connecting' | 'connected' = 'idle';
  #connectedKey = '';
  #remoteKey = '';
  #lastSsrc = -1;
  /** False until the dialog is confirmed: nothing is sent before the ACK. */
  #confirmed = false;
  #ticks = 0;
  #lastRxTick = 0;
  #closed = false;
  readonly #prompt = new PromptSlot();
  #music: FrameSource | undefined;
  #musicToken = 0;
  readonly #collectors = new Set<DigitCollector>();
  #typeAhead = '';
  #typeAheadAt = 0;
  #recorder: LegRecorder | undefined;
  /** Every recording not yet finalised, so shutdown can wait for its file. */
  readonly #recordings = new Set<LegRecorder>();
  readonly #sink = (packet: Buffer): void => {
    // Packet buffers are reused a few sends later (the sender keeps a ring of 4); a send the
    // kernel could not take yet still references its buffer, so skip while the queue is deep.
    if (this.#socket.getSendQueueCount() > 2) {
      this.stats.sendQueueDrops++;
      return;
    }
    try {
      this.#socket.send(packet);
      this.stats.packetsSent++;
    } catch (err) {
      this.stats.socketErrors++;
      this.#logger?.debug({ err, channelId: this.id }, 'rtp send failed');
    }
  };

  readonly #receiveTicker: Ticker = { tick: () => { this.#receiveTick(); } };
  readonly #sendTicker: Ticker = { tick: () => { this.#sendTick(); } };

  constructor(options: RtpMediaChannelOptions) {
    this.id = options.id;
    this.#socket = options.socket;
    this.localAddress = options.localAddress;
    this.localPort = options.localPort;
    this.#clock = options.clock;
    this.#onClose = options.onClose;
    this.#logger = options.logger;
    this.#mediaTimeoutTicks = options.mediaTimeoutMs > 0 ? Math.ceil(options.mediaTimeoutMs / FRAME_MS) : 0;
    this.#sender = new RtpSender(options.resume?.sender);
    this.#dtmfIn = new DtmfReceiver(options.resume?.receiver.dtmf);
    this.#stream = new StreamContinuity(options.resume?.receiver.stream);
    this.#socket.on('message', this.#onMessage);
    this.#socket.on('error', (err) => {
      // A socket error (ICMP unreachable on a connected socket, …) is counted, never fatal.
      this.stats.socketErrors++;
      this.#logger?.debug({ err, channelId: this.id }, 'rtp socket error');
    });
    this.#clock.add('receive', this.#receiveTicker);
    this.#clock.add('send', this.#sendTicker);
    const resume = options.resume;
    if (resume !== undefined) {
      if (resume.media !== undefined) this.update(resume.media);
      if (resume.confirmed) this.confirm();
    }
  }

  /** What another worker needs to continue this leg (see {@link RtpMediaChannelOptions.resume}). */
  moveState(): ChannelResumeState {
    return { sender: this.#sender.state(), media: this.#media, confirmed: this.#confirmed, receiver: { dtmf: this.#dtmfIn.state(), stream: this.#stream.state() } };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The far end as negotiated, if known. */
  get media(): NegotiatedMedia | undefined {
    return this.#media;
  }

  /** Jitter-buffer counters (late, duplicates, resyncs). */
  get jitter(): JitterBuffer {
    return this.#jitter;
  }

  update(media: NegotiatedMedia): void {
    if (this.#closed) return;
    const codec = codecByName(media.codec);
    this.#decodeTable = codec.decodeTable;
    this.#sender.configure(media.payloadType, codec.encodeTable, media.ptimeMs, media.telephoneEventPt);
    // Without telephone-event the far end can only send DTMF as tones: listen for them.
    this.#inband = media.telephoneEventPt === undefined ? (this.#inband ?? new InbandDtmfDetector()) : undefined;
    const unset = media.remoteAddress === '0.0.0.0' || media.remoteAddress === '::' || media.remotePort <= 0;
    const key = unset ? '' : `${media.remoteAddress}:${String(media.remotePort)}`;
    const wasTimed = this.#media?.direction === 'sendrecv';
    this.#media = media;
    // A change of direction to sendrecv restarts the no-RTP clock.
    if (!wasTimed) this.#lastRxTick = this.#ticks;
    if (key === this.#remoteKey) return;
    this.#remoteKey = key;
    this.#lastRxTick = this.#ticks;
    this.#jitter.reset();
    this.#applyRemote();
  }

  confirm(): void {
    if (this.#confirmed) return;
    this.#confirmed = true;
    this.#lastRxTick = this.#ticks;
  }

  /**
   * Points the socket at the wanted far end. A connect in flight finishes first; its
   * callback re-runs this, so quick successive updates (answer, then re-INVITE) converge on
   * the last one.
   */
  #applyRemote(): void {
    if (this.#closed || this.#connectState === 'connecting') return;
    const want = this.#remoteKey;
    if (this.#connectState === 'connected') {
      if (this.#connectedKey === want) return;
      try {
        this.#socket.disconnect();
      } catch {
        // Already disconnected.
      }
      this.#connectState = 'idle';
      this.#connectedKey = '';
    }
    const media = this.#media;
    if (want === '' || media === undefined) return;
    this.#connectState = 'connecting';
    const onConnect = (err?: Error): void => {
      if (this.#closed) return;
      if (err === undefined) {
        this.#connectState = 'connected';
        this.#connectedKey = want;
      } else {
        this.#connectState = 'idle';
        this.stats.socketErrors++;
        this.#logger?.warn({ err, channelId: this.id }, 'rtp connect failed');
      }
      if (this.#remoteKey !== want) this.#applyRemote();
    };
    try {
      this.#socket.connect(media.remotePort, media.remoteAddress, onConnect);
    } catch (err) {
      onConnect(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** True when the socket is connected to the negotiated far end. */
  get #connected(): boolean {
    return this.#connectState === 'connected' && this.#connectedKey === this.#remoteKey;
  }

  play(files: readonly string[], options: PlayOptions = {}): Promise<PlayResult> {
    if (this.#closed) return Promise.reject(this.#gone());
    return this.#prompt.play(files, options);
  }

  stopPlayback(): void {
    this.#prompt.stop();
  }

  async collectDigits(options: CollectOptions): Promise<CollectResult> {
    if (this.#closed) throw this.#gone();
    const collector = new DigitCollector(options);
    const signal = options.signal;
    const onAbort = (): void => {
      collector.stop();
    };
    if (signal?.aborted === true) collector.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#collectors.add(collector);
    const ahead = performance.now() - this.#typeAheadAt <= TYPE_AHEAD_MS ? this.#typeAhead : '';
    this.#typeAhead = '';
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- DTMF digits are ASCII.
    for (const digit of [...ahead]) collector.push(digit);
    if (ahead !== '') {
      // The caller already answered by typing ahead: no prompt.
      collector.promptDone();
    } else if (options.prompt !== undefined && options.prompt.length > 0 && !collector.done) {
      this.play(options.prompt, { bargeIn: true, ...(signal === undefined ? {} : { signal }) }).then(
        () => {
          collector.promptDone();
        },
        (err: unknown) => {
          this.#logger?.warn({ err, channelId: this.id }, 'collect prompt failed');
          collector.promptDone();
        },
      );
    } else {
      collector.promptDone();
    }
    try {
      return await collector.result;
    } finally {
      this.#collectors.delete(collector);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async record(options: RecordOptions): Promise<RecordResult> {
    if (this.#closed) throw this.#gone();
    this.#recorder?.stop('stopped');
    const signal = options.signal;
    const writer = await WavWriter.create(options.path);
    const recorder = new LegRecorder(writer, options);
    this.#recordings.add(recorder);
    void recorder.result.finally(() => this.#recordings.delete(recorder)).catch(() => undefined);
    const onAbort = (): void => {
      recorder.stop('stopped');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (this.#isClosed() || signal?.aborted === true) {
        recorder.stop('stopped');
      } else if (options.beep === true) {
        const beep = await this.#prompt.playClip(BEEP, signal);
        if (beep.reason === 'stopped') recorder.stop('stopped');
      }
      if (!recorder.done) {
        if (this.#isClosed()) recorder.stop('stopped');
        else {
          this.#recorder?.stop('stopped');
          this.#recorder = recorder;
        }
      }
      return await recorder.result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.#recorder === recorder) this.#recorder = undefined;
    }
  }

  sendDtmf(digits: string): Promise<void> {
    if (this.#closed) return Promise.reject(this.#gone());
    return this.#dtmfOut.enqueue(digits);
  }

  injectDtmf(digit: string, source: DtmfSource): void {
    if (this.#closed) return;
    const d = digit.toUpperCase();
    if (d.length !== 1 || !'0123456789*#ABCD'.includes(d)) return;
    this.#digit(d, source);
  }

  /** Plays (loops) private music while held by a bridge; `undefined` stops it. */
  async setMusic(files: readonly string[] | undefined): Promise<void> {
    const token = ++this.#musicToken;
    if (files === undefined || files.length === 0) {
      this.#music = undefined;
      return;
    }
    const clips = await Promise.all(files.map((f) => loadPrompt(f)));
    if (token === this.#musicToken && !this.#closed) this.#music = new FrameSource(clips, true);
  }

  /** Resolves once every recording this channel made is finalised on disk (after close). */
  async whenDrained(): Promise<void> {
    await Promise.allSettled([...this.#recordings].map((r) => r.result));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.delete('receive', this.#receiveTicker);
    this.#clock.delete('send', this.#sendTicker);
    this.#socket.off('message', this.#onMessage);
    try {
      this.#socket.close();
    } catch {
      // Already closed.
    }
    this.#prompt.stop();
    this.#music = undefined;
    for (const c of this.#collectors) c.stop();
    this.#recorder?.stop('stopped');
    this.#dtmfOut.flush();
    this.bridge?.channelClosed(this);
    this.bridge = undefined;
    this.#onClose(this);
    this.events.safeEmit('closed');
    this.events.removeAllListeners();
  }

  /** Read through a method: `closed` changes while an operation awaits. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #gone(): AppError {
    return new AppError('LEG_GONE', 'media channel is closed', { details: { channelId: this.id } });
  }

  /** One de-duplicated digit from any source. */
  #digit(digit: string, source: DtmfSource): void {
    if (!this.#dedup.accept(digit, source)) return;
    const interrupted = this.#prompt.digit(digit);
    if (this.#collectors.size === 0) {
      // Type-ahead: a digit that barged in, and the digits after it until the next
      // collectDigits, are kept for that collection (the port: "digits pressed during a
      // barge-in prompt are" replayed). Digits pressed while nothing listens are not.
      if (interrupted) {
        this.#typeAhead = digit;
        this.#typeAheadAt = performance.now();
      } else if (this.#typeAhead !== '' && this.#typeAhead.length < TYPE_AHEAD_MAX) {
        this.#typeAhead += digit;
      }
    }
    for (const c of this.#collectors) c.push(digit);
    this.#recorder?.digit(digit);
    this.events.safeEmit('dtmf', digit, source);
  }

  readonly #onMessage = (msg: Buffer, rinfo: { address: string; port: number }): void => {
    // Never throw out of a socket handler: every path below only counts and returns.
    const media = this.#media;
    if (media === undefined || this.#remoteKey === '' || rinfo.port !== media.remotePort || rinfo.address !== media.remoteAddress) {
      this.stats.wrongSource++;
      return;
    }
    const view = this.#view;
    if (!parseRtp(msg, view)) {
      this.stats.malformed++;
      return;
    }
    this.stats.packetsReceived++;
    this.loss.observe(view.sequence, view.ssrc);
    const pt = view.payloadType;
    if (pt === media.payloadType) {
      this.#lastRxTick = this.#ticks;
      this.#stream.audio(view.ssrc, view.sequence);
      const table = this.#decodeTable;
      if (table === undefined) return;
      if (view.ssrc !== this.#lastSsrc) {
        if (this.#lastSsrc !== -1) this.stats.ssrcChanges++;
        this.#lastSsrc = view.ssrc;
        this.#jitter.reset();
      }
      const count = view.payloadLength;
      const start = this.#jitter.place(view.timestamp, count);
      if (start < 0) return;
      const ring = this.#jitter.ring;
      const mask = JitterBuffer.CAPACITY - 1;
      const offset = view.payloadOffset;
      for (let i = 0; i < count; i++) ring[(start + i) & mask] = table[msg[offset + i] ?? 0] ?? 0;
    } else if (pt === media.telephoneEventPt) {
      if (!this.#stream.event(view.ssrc, view.sequence)) {
        // Not the caller's keypad: a foreign SSRC or a sequence jump (spoofed source). Counted, never decoded.
        this.stats.foreignDtmf++;
        this.events.safeEmit('foreign-dtmf');
        return;
      }
      this.#lastRxTick = this.#ticks;
      const digit = this.#dtmfIn.receive(msg, view.payloadOffset, view.payloadLength, view.timestamp, view.ssrc);
      if (digit !== undefined) this.#digit(digit, 'rfc4733');
      else if (view.payloadLength >= 4) {
        // A continuation or end packet: the key is still down, which widens the INFO match.
        const held = digitOfEvent(msg[view.payloadOffset] ?? 255);
        if (held !== undefined) this.#dedup.touch(held, 'rfc4733');
      }
    } else if (pt === PT_COMFORT_NOISE) {
      this.#lastRxTick = this.#ticks;
    } else {
      this.stats.unknownPayloadType++;
    }
  };

  #receiveTick(): void {
    if (this.#closed) return;
    this.#ticks++;
    this.mixedThisTick = false;
    this.sharedMix = undefined;
    this.#jitter.read(this.inFrame);
    this.level = frameLevel(this.inFrame);
    this.talk.update(this.level);
    if (this.#inband !== undefined) {
      const digit = this.#inband.frame(this.inFrame, this.level);
      if (digit !== undefined) this.#digit(digit, 'inband');
    }
    this.#recorder?.frame(this.inFrame, this.level);
  }

  #sendTick(): void {
    if (this.#closed) return;
    const out = this.outFrame;
    if (!this.mixedThisTick) out.fill(0);
    this.mixedThisTick = false;
    // Private sources (music, a prompt, a DTMF tone) make this member's frame its own.
    const shared = this.#music === undefined && !this.#prompt.active && !this.#dtmfOut.busy ? this.sharedMix : undefined;
    this.sharedMix = undefined;
    // A notice to this member alone: the room under it is lowered by 18 dB (>> 3), in this
    // member's frame only; the room mix and its recording never contain the prompt.
    if (this.#prompt.ducking) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) >> 3;
    this.#music?.mixInto(out);
    this.#prompt.mixInto(out);
    const media = this.#media;
    const canSend = this.#confirmed && this.#connected && media !== undefined && (media.direction === 'sendrecv' || media.direction === 'sendonly');
    const replaced = this.#dtmfOut.tick(this.#sender, canSend ? this.#sink : undefined, out);
    if (!replaced) {
      if (canSend) {
        const table = this.#sender.encodeTable;
        this.#sender.sendFrame(out, this.#sink, shared !== undefined && table !== undefined ? shared.encodedMix(table) : undefined);
      }
      else this.#sender.skipFrame();
    }
    if (
      this.#mediaTimeoutTicks > 0 &&
      this.#confirmed &&
      media?.direction === 'sendrecv' &&
      this.#remoteKey !== '' &&
      this.#ticks - this.#lastRxTick >= this.#mediaTimeoutTicks
    ) {
      // Report once per silence period; any packet re-arms it.
      this.#lastRxTick = this.#ticks;
      this.events.safeEmit('media-timeout');
    }
  }
}
