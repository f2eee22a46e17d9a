import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { AppError } from '../../../lib/errors.ts';
import type { PortPool } from './port-pool.ts';

/** How many pool ports to try when a port is taken by another process. */
const BIND_ATTEMPTS = 16;

/** A UDP socket bound on a pool port. */
export interface BoundSocket {
  readonly socket: Socket;
  readonly port: number;
}

/** Binds a UDP socket on exactly `port` (a media worker binds the port the main thread took). */
export function bindOnce(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Binds a UDP socket on the next free even pool port (RFC 3550 §11). A port held by
 * another process is skipped; rejects `PORTS_EXHAUSTED` when the pool is empty or after
 * {@link BIND_ATTEMPTS} failed binds.
 */
export async function bindRtpSocket(host: string, pool: PortPool): Promise<BoundSocket> {
  let lastError: unknown;
  for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
    const port = pool.take();
    try {
      const socket = await bindOnce(host, port);
      return { socket, port };
    } catch (err) {
      pool.release(port);
      lastError = err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') break;
    }
  }
  throw new AppError('PORTS_EXHAUSTED', 'could not bind an RTP port', { cause: lastError, details: { host } });
}
