import { createSocket, type Socket } from 'node:dgram';
import { ULAW_DECODE, ULAW_ENCODE } from '../../../../src/engines/embedded/media/g711.ts';
import type { NegotiatedMedia } from '../../../../src/engines/embedded/media/media-channel.ts';
import { createRtpView, parseRtp, writeRtpHeader } from '../../../../src/engines/embedded/rtp/rtp-packet.ts';
import { WavWriter } from '../../../../src/engines/embedded/media/wav-writer.ts';

/** A received packet, as the far end saw it. */
export interface PeerPacket {
  readonly pt: number;
  readonly seq: number;
  readonly ts: number;
  readonly marker: boolean;
  readonly payload: Buffer;
}

/**
 * A minimal far end for tests: a UDP socket on 127.0.0.1 port 0 that sends µ-law tone or
 * silence every 20 ms, RFC 4733 events on demand, and decodes what it receives.
 */
export class RtpPeer {
  readonly socket: Socket;
  readonly received: PeerPacket[] = [];
  /** Decoded µ-law audio received, in arrival order. */
  readonly audio: number[] = [];
  frequency = 0;
  amplitude = 8000;
  ssrc = 0x1234;
  seq = 100;
  ts = 5000;
  #timer: NodeJS.Timeout | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    const view = createRtpView();
    socket.on('message', (msg) => {
      if (!parseRtp(msg, view)) return;
      const payload = Buffer.from(msg.subarray(view.payloadOffset, view.payloadOffset + view.payloadLength));
      this.received.push({ pt: view.payloadType, seq: view.sequence, ts: view.timestamp, marker: view.marker, payload });
      if (view.payloadType === 0) for (const b of payload) this.audio.push(ULAW_DECODE[b] ?? 0);
    });
  }

  static async open(): Promise<RtpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** The NegotiatedMedia a channel needs to talk to this peer. */
  media(overrides: Partial<NegotiatedMedia> = {}): NegotiatedMedia {
    return {
      remoteAddress: '127.0.0.1',
      remotePort: this.port,
      codec: 'PCMU',
      payloadType: 0,
      telephoneEventPt: 101,
      ptimeMs: 20,
      direction: 'sendrecv',
      ...overrides,
    };
  }

  /** Starts sending 20 ms packets to `port` (tone when `frequency` > 0, else silence). */
  start(port: number): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.sendAudio(port);
    }, 20);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sends one 20 ms audio packet now. */
  sendAudio(port: number): void {
    const b = Buffer.alloc(172);
    writeRtpHeader(b, false, 0, this.seq, this.ts, this.ssrc);
    for (let k = 0; k < 160; k++) {
      const v = this.frequency > 0 ? Math.round(this.amplitude * Math.sin((2 * Math.PI * this.frequency * (this.ts + k)) / 8000)) : 0;
      b[12 + k] = ULAW_ENCODE[v + 32768] ?? 0xff;
    }
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + 160) >>> 0;
    this.socket.send(b, port, '127.0.0.1');
  }

  /** Sends a full RFC 4733 event (start, continuations, three ends) for `code` at a new timestamp. */
  sendEvent(port: number, code: number, pt = 101): void {
    const eventTs = this.ts;
    const durations = [160, 320, 480, 640, 640, 640];
    durations.forEach((d, i) => {
      const b = Buffer.alloc(16);
      writeRtpHeader(b, i === 0, pt, this.seq, eventTs, this.ssrc);
      b[12] = code;
      b[13] = (i >= 3 ? 0x80 : 0) | 10;
      b.writeUInt16BE(d, 14);
      this.seq = (this.seq + 1) & 0xffff;
      this.socket.send(b, port, '127.0.0.1');
    });
    this.ts = (this.ts + 800) >>> 0;
  }

  /** Sends raw bytes. */
  sendRaw(port: number, bytes: Uint8Array): void {
    this.socket.send(bytes, port, '127.0.0.1');
  }

  close(): void {
    this.stop();
    this.socket.close();
  }
}

/** Goertzel power of `f` Hz in `x` (8 kHz). */
export function goertzel(x: ArrayLike<number>, f: number): number {
  const w = (2 * Math.PI * f) / 8000;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const v of Array.from(x)) {
    const s = v + c * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/** Analysis block: 50 ms, so every test tone (multiples of 20 Hz) sits on an exact bin. */
const BLOCK = 400;

/**
 * Share of the total energy in `x` at each of `freqs`, summed over 50 ms blocks. Short
 * blocks keep the measure honest when the audio has gaps (a gap shifts a tone's phase,
 * which a single long Goertzel window would count as missing energy).
 */
export function toneShares(x: ArrayLike<number>, freqs: readonly number[]): number[] {
  const samples = Array.from(x);
  let energy = 0;
  for (const v of samples) energy += v ** 2;
  if (energy === 0) return freqs.map(() => 0);
  return freqs.map((f) => {
    let power = 0;
    for (let start = 0; start + BLOCK <= samples.length; start += BLOCK) {
      // Goertzel power relates to a block's energy by BLOCK/2 for a pure tone.
      power += goertzel(samples.slice(start, start + BLOCK), f) / (BLOCK / 2);
    }
    return power / energy;
  });
}

/** Writes a tone WAV (8 kHz mono 16-bit) of `ms` milliseconds. */
export async function writeToneWav(path: string, frequency: number, ms: number, amplitude = 8000): Promise<void> {
  const writer = await WavWriter.create(path);
  const samples = new Int16Array((ms * 8000) / 1000);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / 8000));
  writer.append(samples);
  await writer.finish();
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `check()` is true, polling every 10 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}
