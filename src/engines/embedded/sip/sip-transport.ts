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
  /** A TCP guard refused a connection or closed one (counted by the engine). */
  onGuard?(kind: TcpGuardKind): void;
}

/** Why a TCP guard refused or closed a connection. */
export type TcpGuardKind = 'tcp-source-cap' | 'tcp-total-cap' | 'tcp-framing-error' | 'tcp-header-timeout' | 'tcp-idle-timeout';

/** Options of {@link SipTransport}. */
export interface SipTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly tcp: boolean;
  readonly logger?: Logger | undefined;
  /** At most this many TCP connections at once (default 1024). */
  readonly maxConnections?: number | undefined;
  /** At most this many accepted TCP connections from one address (default 32). */
  readonly maxPerSource?: number | undefined;
  /** A TCP message must be complete this long after its first byte (default 5 s). */
  readonly tcpHeaderTimeoutMs?: number | undefined;
  /**
   * A TCP connection that carried no SIP message this long is closed (default 2 min); CRLF
   * keep-alives do not count. Connections a dialog retains stay open.
   */
  readonly tcpIdleMs?: number | undefined;
}

interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  readonly key: string;
  /** The remote address, for the per-source count of accepted connections (undefined for ours). */
  readonly source: string | undefined;
  /** When the last complete SIP message went either way. */
  lastMessageAt: number;
  /** Dialogs using this connection (they keep it open past the idle time). */
  retained: number;
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
  /** Accepted connections per remote address. */
  readonly #perSource = new Map<string, number>();
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
      this.#accept(socket);
    });
    this.#tcp = server;
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

  /** Parses and hands on one message; false when it did not parse. */
  #receive(bytes: Buffer, source: SipPeer): boolean {
    try {
      // A UDP keep-alive (CRLF only) is silently absorbed.
      if (bytes.length <= 4 && bytes.toString('latin1').trim() === '') return true;
      const result = parseSipMessage(bytes, { stream: source.transport === 'tcp' });
      if (result.ok) this.#handler.onMessage(result.message, source);
      else this.#handler.onInvalid(result, source);
      return result.ok;
    } catch (err) {
      this.#options.logger?.warn({ err, source: source.address }, 'sip receive failed');
      return true;
    }
  }

  /** A new inbound connection: refused at once beyond the total or per-address cap. */
  #accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    const perSource = this.#perSource.get(address) ?? 0;
    let refused: TcpGuardKind | undefined;
    if (this.#connections.size >= (this.#options.maxConnections ?? 1024)) refused = 'tcp-total-cap';
    else if (perSource >= (this.#options.maxPerSource ?? 32)) refused = 'tcp-source-cap';
    if (refused !== undefined) {
      socket.on('error', () => undefined);
      socket.destroy();
      this.#handler.onGuard?.(refused);
      return;
    }
    this.#perSource.set(address, perSource + 1);
    this.#adopt(socket, undefined, address);
  }

  #adopt(socket: net.Socket, key?: string, source?: string): Connection {
    const id = ++this.#seq;
    const remoteKey = key ?? `${socket.remoteAddress ?? ''}:${String(socket.remotePort ?? 0)}`;
    const conn: Connection = { id, socket, key: remoteKey, source, lastMessageAt: performance.now(), retained: 0 };
    this.#connections.set(id, conn);
    this.#byKey.set(remoteKey, conn);
    const framer = new StreamFramer();
    socket.setNoDelay(true);
    const idleMs = this.#options.tcpIdleMs ?? 120_000;
    const headerMs = this.#options.tcpHeaderTimeoutMs ?? 5000;
    let partialTimer: NodeJS.Timeout | undefined;
    let failed = false;
    const close = (kind: TcpGuardKind): void => {
      if (failed) return;
      failed = true;
      clearTimeout(partialTimer);
      this.#handler.onGuard?.(kind);
      // After the error reply is flushed; a peer that does not read is cut after a second.
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    // The idle clock counts SIP messages only: CRLF keep-alives never extend it.
    const idleCheck = (): void => {
      if (socket.destroyed) return;
      const quiet = performance.now() - conn.lastMessageAt;
      if (quiet >= idleMs && conn.retained === 0) {
        this.#handler.onGuard?.('tcp-idle-timeout');
        socket.destroy();
        return;
      }
      idleTimer = setTimeout(idleCheck, Math.max(1000, idleMs - quiet)).unref();
    };
    let idleTimer = setTimeout(idleCheck, idleMs).unref();
    socket.on('data', (chunk: Buffer) => {
      if (failed) return;
      const source: SipPeer = {
        transport: 'tcp',
        address: socket.remoteAddress ?? '',
        port: socket.remotePort ?? 0,
        connectionId: id,
      };
      let completed = false;
      for (const frame of framer.push(chunk)) {
        if (frame.type === 'message') {
          completed = true;
          conn.lastMessageAt = performance.now();
          const parsed = this.#receive(frame.bytes, source);
          // A message that does not parse may have been framed wrongly too: nothing after it is trusted.
          if (!parsed) {
            close('tcp-framing-error');
            return;
          }
        } else if (frame.type === 'keepalive') {
          if (!socket.destroyed) socket.write('\r\n');
        } else {
          this.#handler.onInvalid({ ok: false, status: frame.status, reason: frame.reason }, source);
          close('tcp-framing-error');
          return;
        }
      }
      // A message begun and not finished must be finished in time (slow-loris).
      if (framer.pendingBytes === 0 || completed) {
        clearTimeout(partialTimer);
        partialTimer = undefined;
      }
      if (framer.pendingBytes > 0) {
        partialTimer ??= setTimeout(() => { close('tcp-header-timeout'); }, headerMs).unref();
      }
    });
    socket.on('error', (err) => this.#options.logger?.debug({ err }, 'sip tcp connection error'));
    socket.on('close', () => {
      clearTimeout(partialTimer);
      clearTimeout(idleTimer);
      this.#connections.delete(id);
      if (this.#byKey.get(remoteKey) === conn) this.#byKey.delete(remoteKey);
      if (source !== undefined) {
        const left = (this.#perSource.get(source) ?? 1) - 1;
        if (left <= 0) this.#perSource.delete(source);
        else this.#perSource.set(source, left);
      }
    });
    return conn;
  }

  /**
   * A dialog uses this TCP connection: it stays open past the idle time until the returned
   * release is called (idempotent). Unknown ids (UDP, closed) return a no-op.
   */
  retain(connectionId: number | undefined): () => void {
    const conn = connectionId === undefined ? undefined : this.#connections.get(connectionId);
    if (conn === undefined) return () => undefined;
    conn.retained += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      conn.retained -= 1;
      conn.lastMessageAt = performance.now();
    };
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
    conn.lastMessageAt = performance.now();
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
    this.#perSource.clear();
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
