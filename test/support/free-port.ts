import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Asks the kernel for a free UDP port on 127.0.0.1 (bind port 0, read it, close). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket('udp4');
  return new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => {
        resolve(port);
      });
    });
  });
}

/** Asks the kernel for a free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A port free for both UDP and TCP (SIP peers listen on both); retries a few times. */
export async function freeUdpTcpPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freeUdpPort(host);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => {
        resolve(false);
      });
      server.listen(port, host, () => {
        server.close(() => {
          resolve(true);
        });
      });
    });
    if (free) return port;
  }
  throw new Error('no port free for both UDP and TCP');
}

/** A random even-aligned RTP port range of `size` ports inside 20000–29999 (outside the ephemeral range), so parallel test files rarely overlap. */
export function randomRtpRange(size = 200): { min: number; max: number } {
  const slots = Math.floor(10000 / size);
  const min = 20000 + Math.floor(Math.random() * slots) * size;
  return { min, max: min + size - 1 };
}
