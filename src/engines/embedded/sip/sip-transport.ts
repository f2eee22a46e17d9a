/**
 * SIP over UDP and TCP on one host and port (RFC 3261 §18). Datagrams are parsed one by one;
 * TCP connections (accepted or opened by us) are framed by {@link StreamFramer}. Nothing is
 * ever thrown out of a socket handler: bad input is reported to `onInvalid` or dropped.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from 'pino';
import { AppError } from '../../../lib/errors.ts';
import { listenFailure } from '../../../lib/listen-failure.ts';
import type { SipMessage } from './sip-message.ts';
import { parseSipMessage, type ParseResult } from './sip-parser.ts';
import { StreamFramer } from './stream-framer.ts';

/** Where a message came from or goes to. */
export interface SipPeer {
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  readonly port: number;
  /** For TCP: the connection it arrived on (replies prefer it, §18.2.2). */
  readonly connectionId?: number;
}

/** Callbacks of the transport. */
export interface SipTransportHandler {
  onMessage(message: SipMessage, source: SipPeer): void;
  /** A message that could not be parsed. */
  onInvalid(failure: Extract<ParseResult, { ok: false }>, source: SipPeer): void;
}

/** Options of {@link SipTransport}. */
export interface SipTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly tcp: boolean;
  readonly logger?: Logger | undefined;
  /** At most this many TCP connections at once (default 1024). */
  readonly maxConnections?: number;
  /** An idle TCP connection is closed after this long (default 5 min). */
  readonly tcpIdleMs?: number;
}

interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  readonly key: string;
}

/** UDP and TCP SIP listeners sharing one port. */
export class SipTransport {
  readonly #options: SipTransportOptions;
  readonly #handler: SipTransportHandler;
  #udp: dgram.Socket | undefined;
  #tcp: net.Server | undefined;
  #port = 0;
  #seq = 0;
  #closed = false;
  readonly #connections = new Map<number, Connection>();
  readonly #byKey = new Map<string, Connection>();
  /** Sends not yet handed to the kernel; `close()` lets them finish (bounded). */
  readonly #inflight = new Set<Promise<void>>();

  constructor(options: SipTransportOptions, handler: SipTransportHandler) {
    this.#options = options;
    this.#handler = handler;
  }

  /** The bound host. */
  get host(): string {
    return this.#options.host;
  }

  /** The bound port (resolved when 0 was asked for). */
  get port(): number {
    return this.#port;
  }

  /** Binds UDP (and TCP on the same port). Retries a few times when port 0 gives a UDP port whose TCP twin is taken. */
  async start(): Promise<void> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await this.#bind();
        return;
      } catch (err) {
        lastErr = err;
        this.#closeSockets();
        if (this.#options.port !== 0) break;
      }
    }
    // A bind failure names address, port, transport and errno, for the one-line start-up error.
    if (lastErr instanceof AppError) throw lastErr;
    throw new AppError('ENGINE_UNAVAILABLE', 'SIP transport could not bind', { cause: lastErr });
  }

  async #bind(): Promise<void> {
    const udp = dgram.createSocket({ type: this.#options.host.includes(':') ? 'udp6' : 'udp4' });
    this.#udp = udp;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        reject(listenFailure(err, { service: 'SIP', host: this.#options.host, port: this.#options.port, transport: 'udp' }));
      };
      udp.once('error', fail);
      udp.bind(this.#options.port, this.#options.host, () => {
        udp.off('error', fail);
        resolve();
      });
    });
    udp.on('error', (err) => this.#options.logger?.warn({ err }, 'sip udp socket error'));
    udp.on('message', (msg, rinfo) => {
      this.#receive(msg, { transport: 'udp', address: rinfo.address, port: rinfo.port });
    });
    this.#port = udp.address().port;
    if (!this.#options.tcp) return;
    const server = net.createServer((socket) => {
      this.#adopt(socket);
    });
    this.#tcp = server;
    server.maxConnections = this.#options.maxConnections ?? 1024;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        reject(listenFailure(err, { service: 'SIP', host: this.#options.host, port: this.#port, transport: 'tcp' }));
      };
      server.once('error', fail);
      server.listen(this.#port, this.#options.host, () => {
        server.off('error', fail);
        resolve();
      });
    });
    server.on('error', (err) => this.#options.logger?.warn({ err }, 'sip tcp server error'));
  }

  #receive(bytes: Buffer, source: SipPeer): void {
    try {
      // A UDP keep-alive (CRLF only) is silently absorbed.
      if (bytes.length <= 4 && bytes.toString('latin1').trim() === '') return;
      const result = parseSipMessage(bytes, { stream: source.transport === 'tcp' });
      if (result.ok) this.#handler.onMessage(result.message, source);
      else this.#handler.onInvalid(result, source);
    } catch (err) {
      this.#options.logger?.warn({ err, source: source.address }, 'sip receive failed');
    }
  }

  #adopt(socket: net.Socket, key?: string): Connection {
    const id = ++this.#seq;
    const remoteKey = key ?? `${socket.remoteAddress ?? ''}:${String(socket.remotePort ?? 0)}`;
    const conn: Connection = { id, socket, key: remoteKey };
    this.#connections.set(id, conn);
    this.#byKey.set(remoteKey, conn);
    const framer = new StreamFramer();
    socket.setNoDelay(true);
    socket.setTimeout(this.#options.tcpIdleMs ?? 300_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const source: SipPeer = {
        transport: 'tcp',
        address: socket.remoteAddress ?? '',
        port: socket.remotePort ?? 0,
        connectionId: id,
      };
      for (const frame of framer.push(chunk)) {
        if (frame.type === 'message') this.#receive(frame.bytes, source);
        else if (frame.type === 'keepalive') {
          if (!socket.destroyed) socket.write('\r\n');
        } else {
          this.#handler.onInvalid({ ok: false, status: frame.status, reason: frame.reason }, source);
          // The framing is lost: the only safe thing is to close (after the reply is flushed).
          socket.end();
          socket.setTimeout(1000, () => socket.destroy());
        }
      }
    });
    socket.on('error', (err) => this.#options.logger?.debug({ err }, 'sip tcp connection error'));
    socket.on('close', () => {
      this.#connections.delete(id);
      if (this.#byKey.get(remoteKey) === conn) this.#byKey.delete(remoteKey);
    });
    return conn;
  }

  /** Sends bytes to a peer; TCP reuses the arrival connection or an open one, else connects. */
  send(bytes: Buffer, dest: SipPeer): Promise<void> {
    const p = this.#send(bytes, dest);
    this.#inflight.add(p);
    const done = (): void => { this.#inflight.delete(p); };
    p.then(done, done);
    return p;
  }

  async #send(bytes: Buffer, dest: SipPeer): Promise<void> {
    if (this.#closed) throw new AppError('ENGINE_CLOSED', 'SIP transport closed');
    if (dest.transport === 'udp') {
      const udp = this.#udp;
      if (!udp) throw new AppError('ENGINE_CLOSED', 'SIP transport not started');
      await new Promise<void>((resolve, reject) => {
        udp.send(bytes, dest.port, dest.address, (err) => {
          if (err) reject(new AppError('INTERNAL', 'sip udp send failed', { cause: err }));
          else resolve();
        });
      });
      return;
    }
    let conn = dest.connectionId === undefined ? undefined : this.#connections.get(dest.connectionId);
    conn ??= this.#byKey.get(`${dest.address}:${String(dest.port)}`);
    if (!conn || conn.socket.destroyed) conn = await this.#connect(dest);
    const socket = conn.socket;
    await new Promise<void>((resolve, reject) => {
      socket.write(bytes, (err) => {
        if (err) reject(new AppError('INTERNAL', 'sip tcp send failed', { cause: err }));
        else resolve();
      });
    });
  }

  async #connect(dest: SipPeer): Promise<Connection> {
    const key = `${dest.address}:${String(dest.port)}`;
    const socket = net.connect({ host: dest.address, port: dest.port });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new AppError('DIAL_FAILED', 'sip tcp connect timed out'));
      }, 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new AppError('INTERNAL', 'sip tcp connect failed', { cause: err }));
      });
    });
    return this.#adopt(socket, key);
  }

  /** Closes every socket. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#inflight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.#inflight]),
        new Promise((resolve) => { timer = setTimeout(resolve, 1000); }),
      ]);
      clearTimeout(timer);
    }
    this.#closed = true;
    const tcp = this.#tcp;
    this.#closeSockets();
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => { resolve(); }));
  }

  #closeSockets(): void {
    for (const c of this.#connections.values()) c.socket.destroy();
    this.#connections.clear();
    this.#byKey.clear();
    try {
      this.#udp?.close();
    } catch {
      // Already closed.
    }
    this.#udp = undefined;
    if (this.#tcp?.listening === false) this.#tcp = undefined;
    else if (this.#tcp && !this.#closed) {
      this.#tcp.close();
      this.#tcp = undefined;
    }
  }
}
