import { digitOfEvent, TELEPHONE_EVENT_SIZE } from './telephone-event.ts';

/** What a {@link DtmfReceiver} knows, so it can continue on another thread. */
export interface DtmfReceiverState {
  readonly ssrc: number;
  readonly recent: readonly number[];
}

/**
 * Turns RFC 4733 telephone-event packets into digits: one digit per event. An event is
 * identified by its RTP timestamp (§2.5.1.1 — every packet of one event, including the
 * three redundant end packets, carries the event's start timestamp), so continuation and
 * end packets are ignored, while the same digit with a new timestamp is a new digit.
 * The digit is reported on the first packet seen (start or, if lost, a later one).
 */
export class DtmfReceiver {
  /** Timestamps of recent events, so a reordered packet of an old event is not a new digit. */
  readonly #recent = new Float64Array(8).fill(-1);
  #recentIndex = 0;
  #ssrc = -1;

  /** Continues `from` (a leg moving worker): the end packets of a digit already reported stay continuations. */
  constructor(from?: DtmfReceiverState) {
    if (from === undefined) return;
    this.#ssrc = from.ssrc;
    const kept = from.recent.slice(-this.#recent.length);
    kept.forEach((ts, i) => {
      this.#recent[i] = ts;
    });
    this.#recentIndex = kept.length % this.#recent.length;
  }

  /** The source and the recent events' timestamps, oldest first. */
  state(): DtmfReceiverState {
    const n = this.#recent.length;
    const recent: number[] = [];
    for (let i = 0; i < n; i++) {
      const ts = this.#recent[(this.#recentIndex + i) % n] ?? -1;
      if (ts >= 0) recent.push(ts);
    }
    return { ssrc: this.#ssrc, recent };
  }

  /** Payloads that are not valid telephone-events. */
  malformed = 0;

  /**
   * Feeds one packet's payload; returns the new digit it starts, or undefined when it
   * belongs to an event already reported (or is not a DTMF event).
   */
  receive(data: Uint8Array, offset: number, length: number, timestamp: number, ssrc: number): string | undefined {
    if (length < TELEPHONE_EVENT_SIZE) {
      this.malformed++;
      return undefined;
    }
    if (ssrc !== this.#ssrc) {
      // A new source restarts its timestamps: forget the old events.
      this.#ssrc = ssrc;
      this.#recent.fill(-1);
    }
    if (this.#recent.includes(timestamp)) return undefined;
    const digit = digitOfEvent(data[offset] ?? 255);
    if (digit === undefined) return undefined;
    this.#recent[this.#recentIndex] = timestamp;
    this.#recentIndex = (this.#recentIndex + 1) % this.#recent.length;
    return digit;
  }
}
