import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { AppError } from '../../../lib/errors.ts';
import type { FromWorker, ToWorker, WorkerStats } from './worker-protocol.ts';
import type { WorkerRuntimeOptions } from './worker-runtime.ts';
import { fromWireError } from './wire-error.ts';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;

/** Where a worker's events go (the channel and bridge proxies of that worker). */
export interface WorkerEventSink {
  channelEvent(msg: Extract<FromWorker, { ch: number }>): void;
  bridgeEvent(msg: Extract<FromWorker, { br: number }>): void;
}

/** A command that wants an answer, without its `op` (the host numbers it). */
export type Request = ToWorker extends infer M ? (M extends { op: number } ? Omit<M, 'op'> : never) : never;

/**
 * The main thread's handle on one media worker: sends commands, numbers requests and settles
 * them from the worker's `result`, routes events to the proxies, keeps the latest counters.
 * If the worker dies, every pending request rejects `ENGINE_UNAVAILABLE` and `onExit` runs.
 */
export class WorkerHost {
  readonly index: number;
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #ready: Promise<void>;
  #op = 0;
  #exited = false;
  /** Legs whose media live here now (placement counts them). */
  legs = 0;
  stats: WorkerStats | undefined;

  constructor(index: number, options: WorkerRuntimeOptions, sink: WorkerEventSink, logger: Logger | undefined, onExit: (host: WorkerHost) => void) {
    this.index = index;
    // A worker thread does not inherit the main thread's TypeScript loader: this small
    // bootstrap registers tsx in the worker, then loads the TypeScript entry.
    this.#worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { tsx: import.meta.resolve('tsx/esm/api'), entry: new URL('./media-worker.ts', import.meta.url).href, options },
      name: `media-${String(index)}`,
    });
    let onReady: () => void = () => undefined;
    let onFail: (err: Error) => void = () => undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (msg: FromWorker) => {
      switch (msg.t) {
        case 'ready':
          onReady();
          return;
        case 'result': {
          const pending = this.#pending.get(msg.op);
          if (pending === undefined) return;
          this.#pending.delete(msg.op);
          if (msg.ok) pending.resolve(msg.value);
          else pending.reject(fromWireError(msg.error));
          return;
        }
        case 'stats':
          this.stats = msg.stats;
          return;
        case 'log':
          logger?.[msg.level]({ worker: index, err: msg.err }, msg.msg);
          return;
        case 'dtmf':
        case 'foreign-dtmf':
        case 'media-timeout':
          sink.channelEvent(msg);
          return;
        case 'talking':
        case 'member-gone':
        case 'recording-done':
        case 'recording-failed':
        case 'bridge-closed':
          sink.bridgeEvent(msg);
      }
    });
    this.#worker.on('error', (err) => {
      logger?.error({ err, worker: index }, 'media worker failed');
      onFail(err);
    });
    this.#worker.on('exit', (code) => {
      this.#exited = true;
      onFail(new AppError('ENGINE_UNAVAILABLE', 'media worker exited', { details: { worker: index, code } }));
      for (const pending of this.#pending.values()) pending.reject(new AppError('ENGINE_UNAVAILABLE', 'media worker exited', { details: { worker: index } }));
      this.#pending.clear();
      onExit(this);
    });
  }

  /** Resolves once the worker has loaded and listens. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** A command with no answer. */
  send(msg: ToWorker): void {
    if (!this.#exited) this.#worker.postMessage(msg);
  }

  /** A request; resolves with the worker's value, rejects with its error. `onOp` learns the number (for `abort`). */
  request<T>(msg: Request, onOp?: (op: number) => void): Promise<T> {
    if (this.#exited) return Promise.reject(new AppError('ENGINE_UNAVAILABLE', 'media worker exited', { details: { worker: this.index } }));
    const op = ++this.#op;
    onOp?.(op);
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(op, { resolve: resolve as (v: unknown) => void, reject });
      // The union is rebuilt with its op: `Request` is `ToWorker` minus `op`, member by member.
      this.#worker.postMessage({ ...msg, op });
    });
  }

  /** Stops the thread. */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    await this.#worker.terminate();
  }
}
