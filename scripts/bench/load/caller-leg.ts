/**
 * One load caller's RTP: a connected UDP socket that learns the server's media port from the
 * first packet it hears (symmetric RTP), then sends one 20 ms PCMU packet per tick — silence,
 * a tone, or an RFC 4733 digit (each digit its own event timestamp) — from buffers made once,
 * as its {@link CallerScript} says (fed the server's media time and whether it hears a
 * prompt), and counts what arrives while the measuring window is open: packets, sequence
 * span, and the largest gap between arrivals.
 */
import type { Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { ULAW_ENCODE, ULAW_SILENCE } from '../../../src/engines/embedded/media/g711.ts';
import { eventOfDigit, writeTelephoneEvent } from '../../../src/engines/embedded/media/telephone-event.ts';
import { writeRtpHeader } from '../../../src/engines/embedded/rtp/rtp-packet.ts';
import type { LegRtpCounts } from './load-report.ts';
import { CallerScript, DIGIT_TICKS, voiced } from './caller-script.ts';

const PT_PCMU = 0;
const PT_EVENT = 101;
const EVENT_PACKETS = 5;
const END_PACKETS = 3;

/** A tone (frequency dividing 8000/160, so a 20 ms frame repeats seamlessly) as PCMU. */
export function tonePayload(frequency: number, amplitude = 8000): Uint8Array {
  const out = new Uint8Array(160);
  for (let k = 0; k < 160; k++) out[k] = ULAW_ENCODE[Math.round(amplitude * Math.sin((2 * Math.PI * frequency * k) / 8000)) + 32768] ?? ULAW_SILENCE;
  return out;
}

const SILENCE = new Uint8Array(160).fill(ULAW_SILENCE);

/** One caller's media. */
export class CallerLeg {
  readonly socket: Socket;
  readonly #script: CallerScript;
  readonly #tone: Uint8Array;
  readonly #audio = Buffer.alloc(12 + 160);
  readonly #event = Buffer.alloc(12 + 4);
  readonly #ssrc: number;
  #seq = 0;
  #ts = 0;
  #startedAt = -1;
  #firstTs = -1;
  #serverMs = 0;
  #connected = false;
  #source: 'silence' | 'tone' = 'silence';
  #digits = '';
  #digitTick = 0;
  #eventTs = 0;
  inRoom = false;
  // Window counts.
  #open = false;
  #received = 0;
  #firstExt = -1;
  #ext = -1;
  #lastArrival = 0;
  #maxGap = 0;

  constructor(socket: Socket, index: number, script: CallerScript, tone: Uint8Array) {
    this.socket = socket;
    this.#script = script;
    this.#tone = tone;
    this.#ssrc = (0x4c000000 + index) >>> 0;
    socket.on('message', (msg, rinfo) => {
      this.#arrived(msg, rinfo.port, rinfo.address);
    });
    socket.on('error', () => undefined);
  }

  /** Whether the server's media has been heard. */
  get answered(): boolean {
    return this.#startedAt >= 0;
  }

  #arrived(msg: Buffer, port: number, address: string): void {
    const now = performance.now();
    if (this.#startedAt < 0) {
      this.#startedAt = now;
      this.socket.connect(port, address, () => {
        this.#connected = true;
      });
    }
    if (msg.length < 12) return;
    const pt = (msg[1] ?? 0) & 0x7f;
    if (pt === 0 || pt === 8) {
      const ts = msg.readUInt32BE(4);
      if (this.#firstTs < 0) this.#firstTs = ts;
      this.#serverMs = ((ts - this.#firstTs) >>> 0) / 8;
      this.#script.heard(this.#serverMs, voiced(msg));
    }
    if (!this.#open) return;
    const seq = ((msg[2] ?? 0) << 8) | (msg[3] ?? 0);
    this.#received++;
    if (this.#ext < 0) {
      this.#ext = seq;
      this.#firstExt = seq;
    } else {
      const delta = (seq - (this.#ext & 0xffff)) & 0xffff;
      if (delta > 0 && delta < 0x8000) this.#ext += delta;
    }
    const gap = now - this.#lastArrival;
    if (gap > this.#maxGap) this.#maxGap = gap;
    this.#lastArrival = now;
  }

  /** Opens the measuring window (counts start from zero). */
  openWindow(): void {
    this.#open = true;
    this.#received = 0;
    this.#firstExt = -1;
    this.#ext = -1;
    this.#maxGap = 0;
    this.#lastArrival = performance.now();
  }

  /** Closes the window and returns its counts (`windowMs` long). */
  closeWindow(windowMs: number): LegRtpCounts {
    this.#open = false;
    const tail = performance.now() - this.#lastArrival;
    const expected = this.#ext < 0 ? Math.round(windowMs / 20) : this.#ext - this.#firstExt + 1;
    return { received: this.#received, expected, maxGapMs: Math.max(this.#maxGap, tail) };
  }

  /** One 20 ms tick: runs what the script says now, then sends one packet. */
  tick(): void {
    if (this.#startedAt < 0 || !this.#connected) return;
    for (const a of this.#script.due(this.#serverMs, this.#digits !== '')) {
      if (a.kind === 'digits') this.#digits += a.digits;
      else if (a.kind === 'audio') this.#source = a.source;
      else this.inRoom = true;
    }
    if (this.#digits !== '') this.#sendDigitTick();
    else this.#sendAudio();
    this.#ts = (this.#ts + 160) >>> 0;
  }

  #sendAudio(): void {
    writeRtpHeader(this.#audio, false, PT_PCMU, this.#seq, this.#ts, this.#ssrc);
    this.#audio.set(this.#source === 'tone' ? this.#tone : SILENCE, 12);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.socket.send(this.#audio);
  }

  #sendDigitTick(): void {
    const k = this.#digitTick++;
    if (k === 0) this.#eventTs = this.#ts;
    if (k < EVENT_PACKETS + END_PACKETS) {
      const end = k >= EVENT_PACKETS;
      const duration = Math.min(k + 1, EVENT_PACKETS) * 160;
      writeRtpHeader(this.#event, k === 0, PT_EVENT, this.#seq, this.#eventTs, this.#ssrc);
      writeTelephoneEvent(this.#event, 12, eventOfDigit(this.#digits[0] ?? '0'), end, 10, duration);
      this.#seq = (this.#seq + 1) & 0xffff;
      this.socket.send(this.#event);
    } else {
      this.#sendAudio();
    }
    if (this.#digitTick >= DIGIT_TICKS) {
      this.#digitTick = 0;
      this.#digits = this.#digits.slice(1);
    }
  }
}
