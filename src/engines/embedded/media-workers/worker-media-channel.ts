import { AppError } from '../../../lib/errors.ts';
import { TypedEmitter } from '../../../lib/typed-emitter.ts';
import type { CollectOptions, CollectResult, DtmfSource, PlayOptions, PlayResult, RecordOptions, RecordResult } from '../../../ports/media-options.ts';
import type { MediaChannel, MediaChannelEvents, NegotiatedMedia } from '../media/media-channel.ts';
import type { Request, WorkerHost } from './worker-host.ts';
import type { ChannelMoveState, FromWorker } from './worker-protocol.ts';

/** What a worker bridge attaches to a channel it holds (so a hang-up leaves the room at once). */
export interface WorkerBridgeAttachment {
  channelClosed(legId: string): void;
  /** The leg joined another bridge: forget it without `member-gone`. */
  forget(legId: string): void;
}

/**
 * The main thread's stand-in for a leg's media living in a worker ({@link MediaChannel}):
 * every call becomes a command to that worker, digits and timeouts come back as events.
 * A leg moves with {@link moveTo} when it joins a room on another worker; commands issued
 * meanwhile wait for the move and keep their order.
 */
export class WorkerMediaChannel implements MediaChannel {
  readonly id: string;
  readonly ch: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly events = new TypedEmitter<MediaChannelEvents>();
  /** The bridge holding this leg, and the leg's id in it. */
  bridge: { readonly attachment: WorkerBridgeAttachment; readonly legId: string } | undefined;
  #host: WorkerHost;
  #moving: Promise<void> | undefined;
  #closed = false;
  readonly #onClose: (channel: WorkerMediaChannel) => void;

  constructor(init: { id: string; ch: number; host: WorkerHost; localAddress: string; localPort: number; onClose: (c: WorkerMediaChannel) => void }) {
    this.id = init.id;
    this.ch = init.ch;
    this.#host = init.host;
    this.localAddress = init.localAddress;
    this.localPort = init.localPort;
    this.#onClose = init.onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The worker this leg's media lives in (after any move in flight). */
  get host(): WorkerHost {
    return this.#host;
  }

  update(media: NegotiatedMedia): void {
    if (this.#closed) return;
    this.#send(() => { this.#host.send({ t: 'update', ch: this.ch, media }); });
  }

  confirm(): void {
    if (this.#closed) return;
    this.#send(() => { this.#host.send({ t: 'confirm', ch: this.ch }); });
  }

  play(files: readonly string[], options: PlayOptions = {}): Promise<PlayResult> {
    const { signal, ...wire } = options;
    return this.#request({ t: 'play', ch: this.ch, files, options: wire }, signal);
  }

  stopPlayback(): void {
    if (this.#closed) return;
    this.#send(() => { this.#host.send({ t: 'stop-playback', ch: this.ch }); });
  }

  collectDigits(options: CollectOptions): Promise<CollectResult> {
    const { signal, ...wire } = options;
    return this.#request({ t: 'collect', ch: this.ch, options: wire }, signal);
  }

  record(options: RecordOptions): Promise<RecordResult> {
    const { signal, ...wire } = options;
    return this.#request({ t: 'record', ch: this.ch, options: wire }, signal);
  }

  sendDtmf(digits: string): Promise<void> {
    return this.#request({ t: 'send-dtmf', ch: this.ch, digits }, undefined);
  }

  injectDtmf(digit: string, source: DtmfSource): void {
    if (this.#closed) return;
    this.#send(() => { this.#host.send({ t: 'inject-dtmf', ch: this.ch, digit, source }); });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#send(() => { this.#host.send({ t: 'close', ch: this.ch }); });
    const bridge = this.bridge;
    this.bridge = undefined;
    bridge?.attachment.channelClosed(bridge.legId);
    this.#onClose(this);
    this.events.safeEmit('closed');
    this.events.removeAllListeners();
  }

  /**
   * Moves this leg's media to `host`: the old worker stops it and hands over its state (our
   * RTP stream continues with the same SSRC and numbering), the new one binds the same port.
   * A prompt, collection or recording running at that moment ends as `stopped`.
   */
  moveTo(host: WorkerHost): Promise<void> {
    const previous = this.#moving ?? Promise.resolve();
    const move = previous.then(async () => {
      if (this.#isClosed()) throw gone(this.id);
      const from = this.#host;
      if (from === host) return;
      const state = await from.request<ChannelMoveState>({ t: 'release', ch: this.ch });
      from.legs--;
      this.#host = host;
      host.legs++;
      await host.request({ t: 'open', ch: this.ch, id: this.id, port: this.localPort, move: state });
      // A hang-up while moving: the new worker must let the port go too.
      if (this.#isClosed()) host.send({ t: 'close', ch: this.ch });
    });
    const settled = move.catch(() => undefined);
    this.#moving = settled;
    void settled.then(() => {
      if (this.#moving === settled) this.#moving = undefined;
    });
    return move;
  }

  /** An event from the worker for this channel. */
  workerEvent(msg: Extract<FromWorker, { ch: number }>): void {
    if (this.#closed) return;
    switch (msg.t) {
      case 'dtmf':
        this.events.safeEmit('dtmf', msg.digit, msg.source);
        return;
      case 'foreign-dtmf':
        this.events.safeEmit('foreign-dtmf');
        return;
      case 'media-timeout':
        this.events.safeEmit('media-timeout');
        return;
    }
  }

  /** Read through a method: `closed` changes while a move awaits. */
  #isClosed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` now, or once a move in flight has finished (commands keep their order). */
  #send(fn: () => void): void {
    if (this.#moving === undefined) fn();
    else void this.#moving.then(fn);
  }

  async #request<T>(msg: Request, signal: AbortSignal | undefined): Promise<T> {
    if (this.#closed) throw gone(this.id);
    if (this.#moving !== undefined) await this.#moving;
    if (this.#isClosed()) throw gone(this.id);
    const host = this.#host;
    let op = 0;
    const onAbort = (): void => { host.send({ t: 'abort', op }); };
    const result = host.request<T>(msg, (n) => { op = n; });
    if (signal !== undefined) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      return await result;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function gone(id: string): AppError {
  return new AppError('LEG_GONE', 'media channel is closed', { details: { channelId: id } });
}
