/**
 * A media worker thread's entry (started through `media-worker-boot.mjs`): runs a
 * {@link WorkerRuntime} on this thread's own media clock and reports its counters a few
 * times a second.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from './wire-error.ts';
import type { ToWorker } from './worker-protocol.ts';
import { WorkerRuntime, type WorkerRuntimeOptions } from './worker-runtime.ts';

/** How often the worker sends its counters to the main thread. */
const STATS_INTERVAL_MS = 250;

const port = parentPort;
if (port === null) throw new Error('media-worker.ts runs only as a worker thread');
const options = (workerData as { options: WorkerRuntimeOptions }).options;
const runtime = new WorkerRuntime(options, (msg) => { port.postMessage(msg); });
port.on('message', (msg: ToWorker) => {
  try {
    runtime.handle(msg);
  } catch (err) {
    // A command for a channel that is already gone: answer it if it wanted an answer.
    if ('op' in msg) port.postMessage({ t: 'result', op: msg.op, ok: false, error: toWireError(err) });
  }
});
setInterval(() => { port.postMessage({ t: 'stats', stats: runtime.stats() }); }, STATS_INTERVAL_MS).unref();
port.postMessage({ t: 'ready' });
