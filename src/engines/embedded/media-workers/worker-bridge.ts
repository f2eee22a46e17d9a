import { AppError } from '../../../lib/errors.ts';
import { TypedEmitter } from '../../../lib/typed-emitter.ts';
import type { Bridge, BridgeEvents, MemberOptions, RoomRecordingOptions } from '../../../ports/bridge.ts';
import type { Leg } from '../../../ports/leg.ts';
import type { MediaChannel } from '../media/media-channel.ts';
import type { WorkerHost } from './worker-host.ts';
import { WorkerMediaChannel, type WorkerBridgeAttachment } from './worker-media-channel.ts';
import type { BridgeCall, FromWorker } from './worker-protocol.ts';
import { fromWireError } from './wire-error.ts';

/** What a worker bridge needs from the media service. */
export interface WorkerBridgePlacement {
  /** The worker for a room that has no member yet to follow (the least loaded one). */
  leastLoaded(): WorkerHost;
  /** The bridge closed: forget it. */
  closed(bridge: WorkerBridge): void;
}

/**
 * A room mixed in a media worker ({@link Bridge}); this is the main thread's stand-in. The room
 * is placed on the worker of its first member (or the least loaded one if something else comes
 * first) and stays there; a member whose media lives elsewhere moves to it before joining, so
 * a room's legs always share one worker and one clock. Commands keep their order.
 */
export class WorkerBridge implements Bridge, WorkerBridgeAttachment {
  readonly id: string;
  readonly br: number;
  readonly events = new TypedEmitter<BridgeEvents>();
  readonly #channelOf: (leg: Leg) => MediaChannel | undefined;
  readonly #placement: WorkerBridgePlacement;
  readonly #members = new Set<string>();
  #host: WorkerHost | undefined;
  #closed = false;
  #ended = false;
  /** Resolves when the previous command was handed to the worker (order, not completion). */
  #gate: Promise<void> = Promise.resolve();

  constructor(id: string, br: number, channelOf: (leg: Leg) => MediaChannel | undefined, placement: WorkerBridgePlacement) {
    this.id = id;
    this.br = br;
    this.#channelOf = channelOf;
    this.#placement = placement;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get memberIds(): readonly string[] {
    return [...this.#members];
  }

  /** The worker this room lives in, once placed. */
  get host(): WorkerHost | undefined {
    return this.#host;
  }

  add(leg: Leg, options: MemberOptions = {}): Promise<void> {
    return this.#command(async () => {
      const channel = this.#channelOf(leg);
      if (channel === undefined || channel.closed || leg.closed) {
        throw new AppError('LEG_GONE', 'leg has no live media', { details: { legId: leg.id } });
      }
      if (!(channel instanceof WorkerMediaChannel)) {
        throw new AppError('INTERNAL', 'channel is not a media-worker channel', { details: { legId: leg.id } });
      }
      const host = this.#place(channel.host);
      await channel.moveTo(host);
      const call: BridgeCall = {
        m: 'add',
        leg: { id: leg.id, closed: leg.closed },
        ch: channel.ch,
        ...(options.muted === undefined ? {} : { muted: options.muted }),
        ...(options.deaf === undefined ? {} : { deaf: options.deaf }),
      };
      return {
        host,
        call,
        done: () => {
          if (channel.closed) return;
          if (channel.bridge !== undefined && channel.bridge.attachment !== this) channel.bridge.attachment.forget(channel.bridge.legId);
          channel.bridge = { attachment: this, legId: leg.id };
          this.#members.add(leg.id);
        },
      };
    });
  }

  remove(leg: Leg): Promise<void> {
    return this.#legCommand({ m: 'remove', leg: wireLeg(leg) }, () => {
      this.#members.delete(leg.id);
      const channel = this.#channelOf(leg);
      if (channel instanceof WorkerMediaChannel && channel.bridge?.attachment === this) channel.bridge = undefined;
    });
  }

  setMuted(leg: Leg, muted: boolean): Promise<void> {
    return this.#legCommand({ m: 'setMuted', leg: wireLeg(leg), on: muted });
  }

  setDeaf(leg: Leg, deaf: boolean): Promise<void> {
    return this.#legCommand({ m: 'setDeaf', leg: wireLeg(leg), on: deaf });
  }

  setHeld(leg: Leg, held: boolean, musicFiles: readonly string[] = []): Promise<void> {
    return this.#legCommand({ m: 'setHeld', leg: wireLeg(leg), on: held, files: musicFiles });
  }

  setVolume(leg: Leg, gainDb: number): Promise<void> {
    return this.#legCommand({ m: 'setVolume', leg: wireLeg(leg), db: gainDb });
  }

  playToAll(files: readonly string[]): Promise<void> {
    return this.#simple({ m: 'playToAll', files });
  }

  startRecording(path: string, options: RoomRecordingOptions = {}): Promise<void> {
    return this.#simple({ m: 'startRecording', path, ...(options.encoding === undefined ? {} : { encoding: options.encoding }) });
  }

  pauseRecording(): Promise<void> {
    return this.#simple({ m: 'pauseRecording' });
  }

  resumeRecording(): Promise<void> {
    return this.#simple({ m: 'resumeRecording' });
  }

  stopRecording(): Promise<{ path: string; durationMs: number }> {
    return this.#simple({ m: 'stopRecording' });
  }

  async close(reason = 'closed'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const gate = this.#gate;
    await gate;
    const host = this.#host;
    if (host !== undefined) {
      try {
        await host.request({ t: 'bridge', br: this.br, call: { m: 'close', reason } });
      } catch {
        // The worker is gone: the room ended with it.
      }
    }
    this.#end(reason);
  }

  /** WorkerBridgeAttachment: a member hung up (reported at once, as in-process). */
  channelClosed(legId: string): void {
    if (!this.#members.delete(legId)) return;
    this.events.safeEmit('member-gone', legId);
  }

  /** WorkerBridgeAttachment: a member joined another room. */
  forget(legId: string): void {
    this.#members.delete(legId);
  }

  /** An event the worker reported for this room. */
  workerEvent(msg: Extract<FromWorker, { br: number }>): void {
    switch (msg.t) {
      case 'talking':
        this.events.safeEmit('talking', msg.legId, msg.talking);
        return;
      case 'member-gone':
        if (this.#members.delete(msg.legId)) this.events.safeEmit('member-gone', msg.legId);
        return;
      case 'recording-done':
        this.events.safeEmit('recording-done', msg.path, msg.durationMs);
        return;
      case 'recording-failed':
        this.events.safeEmit('recording-failed', msg.path, fromWireError(msg.error));
        return;
      case 'bridge-closed':
        this.#closed = true;
        this.#end(msg.reason);
        return;
    }
  }

  /** Read through a method: `closed` changes while a command awaits. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#members.clear();
    this.#placement.closed(this);
    this.events.safeEmit('closed', reason);
    this.events.removeAllListeners();
  }

  #place(preferred: WorkerHost): WorkerHost {
    if (this.#host === undefined) {
      this.#host = preferred;
      preferred.send({ t: 'bridge-create', br: this.br, id: this.id });
    }
    return this.#host;
  }

  #simple<T>(call: BridgeCall): Promise<T> {
    return this.#command(() => Promise.resolve({ host: this.#place(this.#placement.leastLoaded()), call }));
  }

  #legCommand<T>(call: BridgeCall, done?: () => void): Promise<T> {
    return this.#command(() => Promise.resolve({ host: this.#place(this.#placement.leastLoaded()), call, ...(done === undefined ? {} : { done }) }));
  }

  /**
   * Runs `prepare` after every earlier command was handed over, sends the call it returns and
   * lets the next command go; resolves with the worker's answer (`done` runs on success).
   */
  async #command<T>(prepare: () => Promise<{ host: WorkerHost; call: BridgeCall; done?: () => void }>): Promise<T> {
    if (this.#closed) throw closedError(this.id);
    const previous = this.#gate;
    let handed: () => void = () => undefined;
    this.#gate = new Promise<void>((resolve) => { handed = resolve; });
    let answer: Promise<T>;
    let done: (() => void) | undefined;
    try {
      await previous;
      if (this.#isClosed()) throw closedError(this.id);
      const prepared = await prepare();
      done = prepared.done;
      answer = prepared.host.request<T>({ t: 'bridge', br: this.br, call: prepared.call });
    } finally {
      handed();
    }
    const value = await answer;
    done?.();
    return value;
  }
}

function wireLeg(leg: Leg): { id: string; closed: boolean } {
  return { id: leg.id, closed: leg.closed };
}

function closedError(id: string): AppError {
  return new AppError('ENGINE_CLOSED', 'bridge is closed', { details: { bridgeId: id } });
}
