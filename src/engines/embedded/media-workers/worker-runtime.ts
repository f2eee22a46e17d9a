import { AppError } from '../../../lib/errors.ts';
import { withTimeout } from '../../../lib/with-timeout.ts';
import { mediaClock } from '../media/media-clock.ts';
import { createMixerBridge, type MemberLeg, type MixerBridgeHandle } from '../media/mixer-bridge.ts';
import { RtpMediaChannel } from '../media/rtp-media-channel.ts';
import { RtpTotals } from '../media/rtp-totals.ts';
import { bindOnce } from '../rtp/rtp-socket.ts';
import type { BridgeCall, ChannelMoveState, FromWorker, ToWorker, WireLeg, WorkerStats } from './worker-protocol.ts';
import { toWireError } from './wire-error.ts';

/** How long shutdown waits for recording files to be finalised. */
const DRAIN_TIMEOUT_MS = 5000;

/** Settings a worker starts with. */
export interface WorkerRuntimeOptions {
  readonly host: string;
  readonly mediaTimeoutMs: number;
}

/**
 * The inside of a media worker: whole legs' media ({@link RtpMediaChannel}) and whole rooms
 * (the mixer) on this thread's own 20 ms clock, driven by {@link ToWorker} commands and
 * reporting through `post`. The hot path is the same code as in-process; only commands and
 * events (digits, talking, results) cross the thread, never frames.
 */
export class WorkerRuntime {
  readonly #options: WorkerRuntimeOptions;
  readonly #post: (msg: FromWorker) => void;
  readonly #channels = new Map<number, RtpMediaChannel>();
  /** Which channel a leg id names, for the mixer's `channelOf`. */
  readonly #legChannel = new Map<string, RtpMediaChannel>();
  readonly #bridges = new Map<number, MixerBridgeHandle>();
  readonly #aborts = new Map<number, AbortController>();
  readonly #totals = new RtpTotals();

  constructor(options: WorkerRuntimeOptions, post: (msg: FromWorker) => void) {
    this.#options = options;
    this.#post = post;
    mediaClock.onError = (err) => {
      this.#post({ t: 'log', level: 'error', msg: 'media tick failed', err: String(err) });
    };
  }

  /** Counters for the main thread's metrics. */
  stats(): WorkerStats {
    return {
      rtp: this.#totals.snapshot(this.#channels.values()),
      tickLateness: mediaClock.latenessHistogram.snapshot(),
      ticks: mediaClock.ticks,
      channels: this.#channels.size,
    };
  }

  handle(msg: ToWorker): void {
    switch (msg.t) {
      case 'open':
        this.#answer(msg.op, this.#open(msg.ch, msg.id, msg.port, msg.move));
        return;
      case 'update':
        this.#channels.get(msg.ch)?.update(msg.media);
        return;
      case 'confirm':
        this.#channels.get(msg.ch)?.confirm();
        return;
      case 'play':
        this.#answer(msg.op, this.#channel(msg.ch).play(msg.files, { ...msg.options, signal: this.#signal(msg.op) }));
        return;
      case 'stop-playback':
        this.#channels.get(msg.ch)?.stopPlayback();
        return;
      case 'collect':
        this.#answer(msg.op, this.#channel(msg.ch).collectDigits({ ...msg.options, signal: this.#signal(msg.op) }));
        return;
      case 'record':
        this.#answer(msg.op, this.#channel(msg.ch).record({ ...msg.options, signal: this.#signal(msg.op) }));
        return;
      case 'send-dtmf':
        this.#answer(msg.op, this.#channel(msg.ch).sendDtmf(msg.digits));
        return;
      case 'inject-dtmf':
        this.#channels.get(msg.ch)?.injectDtmf(msg.digit, msg.source);
        return;
      case 'abort':
        this.#aborts.get(msg.op)?.abort();
        return;
      case 'release':
        this.#answer(msg.op, Promise.resolve(this.#release(msg.ch)));
        return;
      case 'close':
        this.#channels.get(msg.ch)?.close();
        return;
      case 'bridge-create':
        this.#createBridge(msg.br, msg.id);
        return;
      case 'bridge':
        this.#answer(msg.op, this.#bridgeCall(msg.br, msg.call));
        return;
      case 'shutdown':
        this.#answer(msg.op, this.#shutdown());
        return;
    }
  }

  /** Settles request `op` with what `work` gives (a thrown error included). */
  #answer(op: number, work: Promise<unknown>): void {
    work.then(
      (value: unknown) => {
        this.#aborts.delete(op);
        this.#post(value === undefined ? { t: 'result', op, ok: true } : { t: 'result', op, ok: true, value });
      },
      (err: unknown) => {
        this.#aborts.delete(op);
        this.#post({ t: 'result', op, ok: false, error: toWireError(err) });
      },
    );
  }

  #signal(op: number): AbortSignal {
    const controller = new AbortController();
    this.#aborts.set(op, controller);
    return controller.signal;
  }

  #channel(ch: number): RtpMediaChannel {
    const channel = this.#channels.get(ch);
    if (channel === undefined) throw new AppError('LEG_GONE', 'media channel is closed', { details: { ch } });
    return channel;
  }

  async #open(ch: number, id: string, port: number, move: ChannelMoveState | undefined): Promise<void> {
    const socket = await bindOnce(this.#options.host, port);
    const channel = new RtpMediaChannel({
      id,
      socket,
      localAddress: this.#options.host,
      localPort: port,
      mediaTimeoutMs: this.#options.mediaTimeoutMs,
      clock: mediaClock,
      ...(move === undefined ? {} : { resume: move }),
      onClose: (c) => {
        if (this.#channels.get(ch) === c) this.#channels.delete(ch);
        this.#totals.retire(c);
        for (const [legId, other] of this.#legChannel) if (other === c) this.#legChannel.delete(legId);
      },
    });
    channel.events.on('dtmf', (digit, source) => { this.#post({ t: 'dtmf', ch, digit, source }); });
    channel.events.on('foreign-dtmf', () => { this.#post({ t: 'foreign-dtmf', ch }); });
    channel.events.on('media-timeout', () => { this.#post({ t: 'media-timeout', ch }); });
    this.#channels.set(ch, channel);
  }

  /** The leg moves to another worker: out of its room without a `member-gone`, socket closed. */
  #release(ch: number): ChannelMoveState {
    const channel = this.#channel(ch);
    const state = channel.moveState();
    channel.bridge?.detach(channel);
    channel.bridge = undefined;
    // Pending prompts, collections and recordings end as `stopped` (documented limitation).
    channel.close();
    return state;
  }

  #createBridge(br: number, id: string): void {
    const bridge = createMixerBridge(id, (leg: MemberLeg) => this.#legChannel.get(leg.id));
    bridge.events.on('talking', (legId, talking) => { this.#post({ t: 'talking', br, legId, talking }); });
    bridge.events.on('member-gone', (legId) => { this.#post({ t: 'member-gone', br, legId }); });
    bridge.events.on('recording-done', (path, durationMs) => { this.#post({ t: 'recording-done', br, path, durationMs }); });
    bridge.events.on('recording-failed', (path, error) => { this.#post({ t: 'recording-failed', br, path, error: toWireError(error) }); });
    bridge.events.on('closed', (reason) => {
      this.#bridges.delete(br);
      this.#post({ t: 'bridge-closed', br, reason });
    });
    this.#bridges.set(br, bridge);
  }

  async #bridgeCall(br: number, call: BridgeCall): Promise<unknown> {
    const bridge = this.#bridges.get(br);
    if (bridge === undefined) throw new AppError('ENGINE_CLOSED', 'bridge is closed', { details: { br } });
    switch (call.m) {
      case 'add': {
        const channel = this.#channels.get(call.ch);
        if (channel !== undefined) this.#legChannel.set(call.leg.id, channel);
        const options = { ...(call.muted === undefined ? {} : { muted: call.muted }), ...(call.deaf === undefined ? {} : { deaf: call.deaf }) };
        return bridge.add(memberLeg(call.leg), options);
      }
      case 'remove':
        return bridge.remove(memberLeg(call.leg));
      case 'setMuted':
        return bridge.setMuted(memberLeg(call.leg), call.on);
      case 'setDeaf':
        return bridge.setDeaf(memberLeg(call.leg), call.on);
      case 'setHeld':
        return bridge.setHeld(memberLeg(call.leg), call.on, call.files);
      case 'setVolume':
        return bridge.setVolume(memberLeg(call.leg), call.db);
      case 'playToAll':
        return bridge.playToAll(call.files);
      case 'startRecording':
        return bridge.startRecording(call.path, call.encoding === undefined ? {} : { encoding: call.encoding });
      case 'pauseRecording':
        return bridge.pauseRecording();
      case 'resumeRecording':
        return bridge.resumeRecording();
      case 'stopRecording':
        return bridge.stopRecording();
      case 'close':
        return bridge.close(call.reason);
    }
  }

  async #shutdown(): Promise<void> {
    const open = [...this.#channels.values()];
    for (const channel of open) channel.close();
    await Promise.allSettled([...this.#bridges.values()].map((b) => b.close('engine-closed')));
    await withTimeout(Promise.all(open.map((c) => c.whenDrained())), DRAIN_TIMEOUT_MS, 'media drain').catch((err: unknown) => {
      this.#post({ t: 'log', level: 'warn', msg: 'media recordings not finalised in time', err: String(err) });
    });
  }
}

function memberLeg(leg: WireLeg): MemberLeg {
  return { id: leg.id, closed: leg.closed };
}
