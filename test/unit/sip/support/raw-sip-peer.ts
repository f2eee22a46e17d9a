/**
 * A scriptable SIP peer for tests: sends hand-written SIP text over UDP or TCP to the
 * engine and collects every message it receives, parsed with the engine's own parser.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { getHeader, type SipMessage } from '../../../../src/engines/embedded/sip/sip-message.ts';
import { parseSipMessage } from '../../../../src/engines/embedded/sip/sip-parser.ts';
import { StreamFramer } from '../../../../src/engines/embedded/sip/stream-framer.ts';

/** A received message with its raw text. */
export interface Received {
  readonly message: SipMessage;
  readonly text: string;
}

/** The test peer. */
export class RawSipPeer {
  readonly received: Received[] = [];
  #udp: dgram.Socket | undefined;
  #tcp: net.Socket | undefined;
  #waiters: (() => void)[] = [];
  port = 0;

  private constructor(
    readonly transport: 'udp' | 'tcp',
    readonly target: { host: string; port: number },
  ) {}

  /** Opens the peer (UDP bound on 127.0.0.1:0, or a TCP connection to the target). */
  static async open(transport: 'udp' | 'tcp', target: { host: string; port: number }): Promise<RawSipPeer> {
    const peer = new RawSipPeer(transport, target);
    if (transport === 'udp') {
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      udp.on('message', (m) => { peer.#take(m); });
      peer.#udp = udp;
      peer.port = udp.address().port;
    } else {
      const framer = new StreamFramer();
      const sock = net.connect(target.port, target.host);
      await new Promise<void>((resolve, reject) => {
        sock.once('connect', resolve);
        sock.once('error', reject);
      });
      sock.on('data', (chunk: Buffer) => {
        for (const f of framer.push(chunk)) if (f.type === 'message') peer.#take(f.bytes);
      });
      sock.on('error', () => undefined);
      peer.#tcp = sock;
      peer.port = sock.localPort ?? 0;
    }
    return peer;
  }

  #take(bytes: Buffer): void {
    const r = parseSipMessage(bytes);
    if (!r.ok) return;
    this.received.push({ message: r.message, text: bytes.toString('utf8') });
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Sends text (LF line ends become CRLF in the head; Content-Length is filled in when `{len}` appears). */
  send(text: string, body = ''): void {
    const head = text.replace(/^\n+/, '').replace(/\n*$/, '').replace(/\r?\n/g, '\r\n');
    const bytes = Buffer.from(`${head.replace('{len}', String(Buffer.byteLength(body)))}\r\n\r\n${body}`, 'utf8');
    this.sendRaw(bytes);
  }

  /** Sends bytes as they are. */
  sendRaw(bytes: Buffer): void {
    if (this.#udp) this.#udp.send(bytes, this.target.port, this.target.host);
    else this.#tcp?.write(bytes);
  }

  /** Waits for a received message matching `pred` (searching from index `from`). */
  async waitFor(pred: (m: SipMessage) => boolean, timeoutMs = 5000, from = 0): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find((r) => pred(r.message));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; got: ${this.received.map((r) => r.text.split('\r\n')[0]).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for a response with this status to a request with this CSeq method. */
  response(status: number, method: string, timeoutMs = 5000): Promise<Received> {
    return this.waitFor((m) => m.kind === 'response' && m.status === status && (getHeader(m, 'cseq') ?? '').endsWith(method), timeoutMs);
  }

  /** Waits for a request of this method. */
  request(method: string, timeoutMs = 5000): Promise<Received> {
    return this.waitFor((m) => m.kind === 'request' && m.method === method, timeoutMs);
  }

  /** Closes the socket. */
  close(): void {
    this.#udp?.close();
    this.#tcp?.destroy();
  }
}

/** A minimal SDP offer from the test peer. */
export function peerSdp(port: number, opts: { payloads?: string; direction?: string; address?: string } = {}): string {
  return [
    'v=0',
    `o=peer 1 1 IN IP4 127.0.0.1`,
    's=-',
    `c=IN IP4 ${opts.address ?? '127.0.0.1'}`,
    't=0 0',
    `m=audio ${String(port)} RTP/AVP ${opts.payloads ?? '0 8 101'}`,
    'a=rtpmap:101 telephone-event/8000',
    `a=${opts.direction ?? 'sendrecv'}`,
    '',
  ].join('\r\n');
}
