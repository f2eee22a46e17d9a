import { createSocket, type Socket } from 'node:dgram';
import { decodeG711, encodeUlaw } from './g711.ts';
import { silenceSource, type FrameSource } from './tone.ts';

/** A telephone-event the peer received (RFC 4733 §2.3), one per event timestamp. */
export interface ReceivedDigit {
  readonly digit: string;
  readonly timestamp: number;
}

const EVENT_DIGITS = '0123456789*#ABCD';

/** Options for {@link RtpPeer.open}. */
export interface RtpPeerOptions {
  readonly host?: string;
  /** Payload type for telephone-event (RFC 4733); default 101. */
  readonly telephoneEventPt?: number;
}

/**
 * A real RTP endpoint for tests (RFC 3550 over UDP on 127.0.0.1 port 0): sends G.711 µ-law
 * 20 ms packets from a {@link FrameSource}, sends RFC 4733 digits each with a fresh event
 * timestamp, and records what it receives (audio decoded to PCM, digits).
 */
export class RtpPeer {
  readonly socket: Socket;
  readonly host: string;
  telephoneEventPt: number;
  /** Every audio sample received, decoded, in arrival order. */
  #rx: number[] = [];
  readonly digits: ReceivedDigit[] = [];
  /** Count of RTP packets received (any payload type). */
  packetsReceived = 0;
  /** Payload types seen. */
  readonly payloadTypes = new Set<number>();
  #remote: { host: string; port: number } | undefined;
  #source: FrameSource = silenceSource;
  #sendSilence = true;
  #timer: NodeJS.Timeout | undefined;
  #ssrc = (Math.random() * 0xffffffff) >>> 0;
  #seq = Math.floor(Math.random() * 0xffff);
  #ts = (Math.random() * 0x7fffffff) >>> 0;
  #nextDue = 0;
  #busyUntilTs: Promise<void> = Promise.resolve();
  #inDigit = false;
  #closed = false;

  private constructor(socket: Socket, host: string, telephoneEventPt: number) {
    this.socket = socket;
    this.host = host;
    this.telephoneEventPt = telephoneEventPt;
    socket.on('message', (msg) => {
      this.#onPacket(msg);
    });
    socket.on('error', () => undefined);
  }

  /** Binds a new peer on `host` port 0. */
  static async open(options: RtpPeerOptions = {}): Promise<RtpPeer> {
    const host = options.host ?? '127.0.0.1';
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new RtpPeer(socket, host, options.telephoneEventPt ?? 101);
  }

  /** The local RTP port. */
  get port(): number {
    return this.socket.address().port;
  }

  /** Where packets go (from the far end's SDP). */
  setRemote(host: string, port: number): void {
    this.#remote = { host, port };
  }

  get remote(): { host: string; port: number } | undefined {
    return this.#remote;
  }

  /** What to send from now on; `sendSilence` false sends nothing while the source yields null. */
  setSource(source: FrameSource, sendSilence = true): void {
    this.#source = source;
    this.#sendSilence = sendSilence;
  }

  /** Starts the 20 ms send clock (drift-corrected). */
  start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#nextDue = performance.now();
    const tick = (): void => {
      const now = performance.now();
      // Catch up at most a few frames if the loop was late; never burst unboundedly.
      let frames = 0;
      while (this.#nextDue <= now && frames < 5) {
        this.#sendFrame();
        this.#nextDue += 20;
        frames++;
      }
      if (this.#nextDue < now) this.#nextDue = now + 20;
      this.#timer = setTimeout(tick, Math.max(1, this.#nextDue - performance.now()));
    };
    tick();
  }

  /** Stops sending (receiving goes on). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sendFrame(): void {
    if (this.#inDigit) return;
    const frame = this.#source();
    if (frame === null && !this.#sendSilence) {
      this.#ts = (this.#ts + 160) >>> 0;
      return;
    }
    const pcm = frame ?? new Int16Array(160);
    this.#send(0, encodeUlaw(pcm), false, this.#ts);
    this.#ts = (this.#ts + pcm.length) >>> 0;
  }

  #send(payloadType: number, payload: Buffer, marker: boolean, timestamp: number): void {
    if (this.#remote === undefined || this.#closed) return;
    // RFC 3550 §5.1 fixed header: V=2, no padding/extension/CSRC.
    const packet = Buffer.alloc(12 + payload.length);
    packet[0] = 0x80;
    packet[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
    packet.writeUInt16BE(this.#seq, 2);
    packet.writeUInt32BE(timestamp >>> 0, 4);
    packet.writeUInt32BE(this.#ssrc, 8);
    payload.copy(packet, 12);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.socket.send(packet, this.#remote.port, this.#remote.host);
  }

  /**
   * Sends `digits` as RFC 4733 events (§2.5): each digit a new event with its own timestamp,
   * marker on the first packet, updates every 20 ms, three end packets; `gapMs` of audio
   * between digits. Audio pauses while a digit is sent. Resolves when all are sent.
   */
  async sendDigits(digits: string, durationMs = 100, gapMs = 100): Promise<void> {
    const run = async (): Promise<void> => {
      for (const digit of digits) {
        const code = EVENT_DIGITS.indexOf(digit.toUpperCase());
        if (code < 0) throw new Error(`not a DTMF digit: ${digit}`);
        this.#inDigit = true;
        const eventTs = this.#ts;
        const steps = Math.max(1, Math.round(durationMs / 20));
        for (let i = 1; i <= steps; i++) {
          this.#send(this.telephoneEventPt, eventPayload(code, false, i * 160), i === 1, eventTs);
          await sleep(20);
        }
        for (let i = 0; i < 3; i++) this.#send(this.telephoneEventPt, eventPayload(code, true, steps * 160), false, eventTs);
        this.#ts = (this.#ts + steps * 160) >>> 0;
        this.#inDigit = false;
        await sleep(gapMs);
      }
    };
    const previous = this.#busyUntilTs;
    const next = previous.then(run);
    this.#busyUntilTs = next.catch(() => undefined);
    return next;
  }

  #onPacket(msg: Buffer): void {
    if (msg.length < 12 || (msg[0] ?? 0) >> 6 !== 2) return;
    const first = msg[0] ?? 0;
    const csrcCount = first & 0x0f;
    let offset = 12 + csrcCount * 4;
    if ((first & 0x10) !== 0 && msg.length >= offset + 4) offset += 4 + msg.readUInt16BE(offset + 2) * 4;
    let end = msg.length;
    if ((first & 0x20) !== 0) end -= msg[msg.length - 1] ?? 0;
    if (end < offset) return;
    const pt = (msg[1] ?? 0) & 0x7f;
    const timestamp = msg.readUInt32BE(4);
    const payload = msg.subarray(offset, end);
    this.packetsReceived++;
    this.payloadTypes.add(pt);
    if (pt === 0 || pt === 8) {
      const pcm = decodeG711(payload, pt);
      for (const s of pcm) this.#rx.push(s);
    } else if (pt === this.telephoneEventPt && payload.length >= 4) {
      const digit = EVENT_DIGITS[payload[0] ?? 99];
      if (digit !== undefined && !this.digits.some((d) => d.timestamp === timestamp)) this.digits.push({ digit, timestamp });
    }
  }

  /** Number of audio samples received so far (use as a mark for {@link receivedSince}). */
  get receivedSamples(): number {
    return this.#rx.length;
  }

  /** Audio received since `mark` (a {@link receivedSamples} value). */
  receivedSince(mark = 0): Int16Array {
    return Int16Array.from(this.#rx.slice(mark));
  }

  /** The digits received as a string. */
  get digitString(): string {
    return this.digits.map((d) => d.digit).join('');
  }

  /** Forgets received audio and digits. */
  clear(): void {
    this.#rx = [];
    this.digits.length = 0;
  }

  /** Stops and closes the socket. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => {
          resolve();
        });
      } catch {
        resolve();
      }
    });
  }
}

/** RFC 4733 §2.3 payload: event, E bit, volume 10, duration. */
function eventPayload(code: number, end: boolean, duration: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = code;
  b[1] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(Math.min(duration, 0xffff), 2);
  return b;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
