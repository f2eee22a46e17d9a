import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../../lib/errors.ts';
import { withTimeout } from '../../../lib/with-timeout.ts';
import type { Bridge } from '../../../ports/bridge.ts';
import type { HistogramSnapshot, RtpTelemetry } from '../../../ports/engine-telemetry.ts';
import type { Leg } from '../../../ports/leg.ts';
import type { MediaChannel, MediaService } from '../media/media-channel.ts';
import { PortPool } from '../rtp/port-pool.ts';
import { WorkerBridge } from './worker-bridge.ts';
import { WorkerHost } from './worker-host.ts';
import { WorkerMediaChannel } from './worker-media-channel.ts';

/** How many pool ports to try when a port is taken by another process. */
const BIND_ATTEMPTS = 16;
/** How long shutdown waits for the workers to finalise recordings and stop. */
const SHUTDOWN_TIMEOUT_MS = 8000;

/** Options of {@link createWorkerMediaService}. */
export interface WorkerMediaServiceOptions {
  readonly host: string;
  readonly portMin: number;
  readonly portMax: number;
  readonly mediaTimeoutMs: number;
  /** Worker threads to start (at least 1). */
  readonly workers: number;
  readonly logger?: Logger | undefined;
}

/** A media service whose legs and rooms live in worker threads; it also makes the rooms. */
export interface WorkerMediaService extends MediaService {
  /** Starts the workers; resolves once every one listens. */
  start(): Promise<void>;
  createBridge(id: string, channelOf: (leg: Leg) => MediaChannel | undefined): Bridge;
  /** The workers' tick lateness, merged. */
  tickLateness(): HistogramSnapshot | undefined;
}

/**
 * Media on every core: `workers` threads, each with its own 20 ms clock, RTP sockets and rooms.
 * The RTP port pool stays here (the port goes in the SDP answer before the worker has bound
 * it: a socket cannot cross threads, so the worker binds the port the main thread took). A new
 * leg goes to the worker with the fewest legs; a room goes where its first member is, and
 * later members move to it.
 */
export function createWorkerMediaService(options: WorkerMediaServiceOptions): WorkerMediaService {
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new AppError('CONFIG_INVALID', 'media workers must be a whole number of at least 1', { details: { workers: options.workers } });
  }
  const pool = new PortPool(options.portMin, options.portMax);
  const channels = new Map<number, WorkerMediaChannel>();
  const bridges = new Map<number, WorkerBridge>();
  const hosts: WorkerHost[] = [];
  const retired: { packetsIn: number; packetsOut: number; lost: number; late: number; wrongSource: number } = { packetsIn: 0, packetsOut: 0, lost: 0, late: 0, wrongSource: 0 };
  let seq = 0;
  let closed = false;
  const isClosed = (): boolean => closed;
  const logger = options.logger;

  const sink = {
    channelEvent: (msg: Parameters<WorkerMediaChannel['workerEvent']>[0]) => { channels.get(msg.ch)?.workerEvent(msg); },
    bridgeEvent: (msg: Parameters<WorkerBridge['workerEvent']>[0]) => { bridges.get(msg.br)?.workerEvent(msg); },
  };
  const onExit = (host: WorkerHost): void => {
    if (closed) return;
    logger?.error({ worker: host.index }, 'media worker exited; its calls lose their media');
    // Keep the counters it reported; its legs and rooms are gone with it.
    const rtp = host.stats?.rtp;
    if (rtp !== undefined) addRtp(retired, rtp);
    for (const channel of [...channels.values()]) if (channel.host === host) channel.close();
  };
  for (let i = 0; i < options.workers; i++) {
    hosts.push(new WorkerHost(i, { host: options.host, mediaTimeoutMs: options.mediaTimeoutMs }, sink, logger, onExit));
  }
  const leastLoaded = (): WorkerHost => {
    let best = hosts[0];
    if (best === undefined) throw new AppError('ENGINE_UNAVAILABLE', 'no media worker');
    for (const host of hosts) if (host.legs < best.legs) best = host;
    return best;
  };
  const placement = { leastLoaded, closed: (b: WorkerBridge) => { bridges.delete(b.br); } };

  return {
    start: async () => {
      await Promise.all(hosts.map((h) => h.ready()));
    },

    async createChannel(): Promise<MediaChannel> {
      if (closed) throw new AppError('ENGINE_CLOSED', 'media service is closed');
      const host = leastLoaded();
      const ch = ++seq;
      const id = randomUUID();
      let lastError: unknown;
      for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
        const port = pool.take();
        try {
          await host.request({ t: 'open', ch, id, port });
        } catch (err) {
          pool.release(port);
          lastError = err;
          const errno = err instanceof AppError ? err.details.errno : undefined;
          if (errno !== 'EADDRINUSE' && errno !== 'EACCES') break;
          continue;
        }
        if (isClosed()) {
          host.send({ t: 'close', ch });
          pool.release(port);
          throw new AppError('ENGINE_CLOSED', 'media service is closed');
        }
        host.legs++;
        const channel = new WorkerMediaChannel({
          id,
          ch,
          host,
          localAddress: options.host,
          localPort: port,
          onClose: (c) => {
            channels.delete(c.ch);
            c.host.legs--;
            pool.release(port);
          },
        });
        channels.set(ch, channel);
        return channel;
      }
      throw new AppError('PORTS_EXHAUSTED', 'could not bind an RTP port', { cause: lastError, details: { host: options.host } });
    },

    createBridge(id, channelOf): Bridge {
      if (closed) throw new AppError('ENGINE_CLOSED', 'media service is closed');
      const bridge = new WorkerBridge(id, ++seq, channelOf, placement);
      bridges.set(bridge.br, bridge);
      return bridge;
    },

    rtpTotals(): RtpTelemetry {
      const totals = { ...retired };
      for (const host of hosts) if (host.stats !== undefined) addRtp(totals, host.stats.rtp);
      return totals;
    },

    tickLateness(): HistogramSnapshot | undefined {
      return mergeHistograms(hosts.flatMap((h) => (h.stats === undefined ? [] : [h.stats.tickLateness])));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const channel of [...channels.values()]) channel.close();
      await withTimeout(
        Promise.allSettled(hosts.map((h) => h.request({ t: 'shutdown' }))),
        SHUTDOWN_TIMEOUT_MS,
        'media workers shutdown',
      ).catch((err: unknown) => {
        logger?.warn({ err }, 'media workers did not stop in time');
      });
      await Promise.allSettled(hosts.map((h) => h.terminate()));
    },
  };
}

function addRtp(into: { packetsIn: number; packetsOut: number; lost: number; late: number; wrongSource: number }, rtp: RtpTelemetry): void {
  into.packetsIn += rtp.packetsIn;
  into.packetsOut += rtp.packetsOut;
  into.lost += rtp.lost;
  into.late += rtp.late ?? 0;
  into.wrongSource += rtp.wrongSource ?? 0;
}

/** Histograms with the same buckets, added up. */
function mergeHistograms(list: readonly HistogramSnapshot[]): HistogramSnapshot | undefined {
  const first = list[0];
  if (first === undefined) return undefined;
  const counts = first.counts.map((_, i) => list.reduce((sum, h) => sum + (h.counts[i] ?? 0), 0));
  return { upperBounds: first.upperBounds, counts, sum: list.reduce((s, h) => s + h.sum, 0), count: list.reduce((s, h) => s + h.count, 0) };
}
