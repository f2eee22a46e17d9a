import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../../lib/errors.ts';
import { withTimeout } from '../../../lib/with-timeout.ts';
import { PortPool } from '../rtp/port-pool.ts';
import { bindRtpSocket } from '../rtp/rtp-socket.ts';
import { mediaClock } from './media-clock.ts';
import type { MediaChannel, MediaService } from './media-channel.ts';
import { RtpMediaChannel } from './rtp-media-channel.ts';
import { RtpTotals } from './rtp-totals.ts';

/** How long shutdown waits for recording files to be finalised. */
const DRAIN_TIMEOUT_MS = 5000;

/** Options of {@link createMediaService}. */
export interface MediaServiceOptions {
  /** Address RTP sockets bind to and advertise. */
  host: string;
  /** Even RTP port range (RFC 3550 §11), outside the kernel's ephemeral range. */
  portMin: number;
  portMax: number;
  /** Report `media-timeout` after this long without RTP while sendrecv; 0 disables. */
  mediaTimeoutMs: number;
  logger?: Logger;
}

/**
 * Creates the embedded engine's media service: a port pool and the RTP channels bound from
 * it, all driven by the process-wide 20 ms media clock. `close()` closes every channel
 * (which also removes them from their bridges).
 */
export function createMediaService(options: MediaServiceOptions): MediaService {
  const pool = new PortPool(options.portMin, options.portMax);
  const channels = new Set<RtpMediaChannel>();
  const totals = new RtpTotals();
  const logger = options.logger;
  let closed = false;
  // Read through a function: `closed` changes while createChannel awaits a bind.
  const isClosed = (): boolean => closed;
  mediaClock.onError = (err) => {
    logger?.error({ err }, 'media tick failed');
  };

  return {
    async createChannel(): Promise<MediaChannel> {
      if (closed) throw new AppError('ENGINE_CLOSED', 'media service is closed');
      const { socket, port } = await bindRtpSocket(options.host, pool);
      if (isClosed()) {
        socket.close();
        pool.release(port);
        throw new AppError('ENGINE_CLOSED', 'media service is closed');
      }
      const channel = new RtpMediaChannel({
        id: randomUUID(),
        socket,
        localAddress: options.host,
        localPort: port,
        mediaTimeoutMs: options.mediaTimeoutMs,
        clock: mediaClock,
        logger,
        onClose: (c) => {
          if (channels.delete(c)) totals.retire(c);
          pool.release(port);
        },
      });
      channel.events.onListenerError = (err, event) => {
        logger?.error({ err, event, channelId: channel.id }, 'media channel listener failed');
      };
      channels.add(channel);
      return channel;
    },

    rtpTotals() {
      return totals.snapshot(channels);
    },

    async close(): Promise<void> {
      closed = true;
      const open = [...channels];
      for (const channel of open) channel.close();
      // Recordings cut short by the shutdown are finalised before close resolves (bounded).
      await withTimeout(Promise.all(open.map((c) => c.whenDrained())), DRAIN_TIMEOUT_MS, 'media drain').catch((err: unknown) => {
        logger?.warn({ err }, 'media recordings not finalised in time');
      });
    },
  };
}
