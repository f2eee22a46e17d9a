import { FRAME_SAMPLES, SAMPLE_RATE } from './frame.ts';
import { eventOfDigit } from './telephone-event.ts';
import type { PacketSink, RtpSender } from '../rtp/rtp-sender.ts';

/** Tone length per digit: 5 frames = 100 ms. */
const TONE_FRAMES = 5;
/** RFC 4733 §2.5.1.4: the end packet is sent three times. */
const END_PACKETS = 3;
/** Pause after each digit before the next: 3 frames = 60 ms. */
const GAP_FRAMES = 3;

/** DTMF frequency pairs (ITU-T Q.23) by event code 0–15. */
const LOW = [941, 697, 697, 697, 770, 770, 770, 852, 852, 852, 941, 941, 697, 770, 852, 941];
const HIGH = [1336, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1477, 1633, 1633, 1633, 1633];

interface Job {
  readonly events: number[];
  readonly resolve: () => void;
}

/**
 * Sends queued digits, one per ~170 ms: as RFC 4733 events when the far end negotiated
 * telephone-event, otherwise as in-band Q.23 tones mixed into the outgoing audio.
 */
export class DtmfSender {
  readonly #queue: Job[] = [];
  #frame = 0;
  #eventTimestamp = 0;

  /** Whether a digit is being sent now. */
  get busy(): boolean {
    return this.#queue.length > 0;
  }

  /** Queues `digits` (invalid characters are skipped); resolves when all are sent. */
  enqueue(digits: string): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- DTMF digits are ASCII; other characters are dropped below.
    const events = [...digits].map(eventOfDigit).filter((e) => e >= 0);
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#queue.push({ events, resolve });
    });
  }

  /** Settles everything queued (on close). */
  flush(): void {
    for (const job of this.#queue.splice(0)) job.resolve();
    this.#frame = 0;
  }

  /**
   * Runs one tick. Returns true when it sent an event packet in place of this frame's
   * audio; otherwise the caller sends `out` (into which an in-band tone may have been mixed).
   */
  tick(sender: RtpSender, sink: PacketSink | undefined, out: Int16Array): boolean {
    const job = this.#queue[0];
    if (job === undefined) return false;
    const event = job.events[0] ?? 0;
    const frame = this.#frame++;
    const rfc4733 = sender.eventPayloadType !== undefined && sink !== undefined;
    let replaced = false;
    if (rfc4733 && frame < TONE_FRAMES + END_PACKETS) {
      if (frame === 0) this.#eventTimestamp = sender.timestamp;
      const end = frame >= TONE_FRAMES;
      const duration = Math.min(frame + 1, TONE_FRAMES) * FRAME_SAMPLES;
      sender.sendEvent(event, this.#eventTimestamp, duration, end, frame === 0, sink);
      sender.skipFrame();
      replaced = true;
    } else if (!rfc4733 && frame < TONE_FRAMES) {
      mixTone(out, event, frame * FRAME_SAMPLES);
    }
    const last = (rfc4733 ? TONE_FRAMES + END_PACKETS : TONE_FRAMES) + GAP_FRAMES - 1;
    if (frame >= last) {
      this.#frame = 0;
      job.events.shift();
      if (job.events.length === 0) {
        this.#queue.shift();
        job.resolve();
      }
    }
    return replaced;
  }
}

function mixTone(out: Int16Array, event: number, offset: number): void {
  const low = (2 * Math.PI * (LOW[event] ?? 0)) / SAMPLE_RATE;
  const high = (2 * Math.PI * (HIGH[event] ?? 0)) / SAMPLE_RATE;
  for (let i = 0; i < out.length; i++) {
    const n = offset + i;
    const v = (out[i] ?? 0) + Math.round(6000 * (Math.sin(low * n) + Math.sin(high * n)));
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
