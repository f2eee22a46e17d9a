/**
 * The far end's own RTP stream, as its audio defines it: SSRC and last sequence number.
 * RFC 4733 §2.1 sends telephone-events in the same RTP stream as the audio (same SSRC, one
 * sequence space), so an event with another SSRC, or a sequence number far from the
 * stream's, is not the caller's keypad but someone else's packet (a spoofed source address)
 * and must not run anything. A new audio SSRC (a re-INVITE, a transfer) becomes the stream
 * only after a short run of consecutive packets, so interleaved foreign audio cannot adopt it.
 */

/** Consecutive audio packets with one SSRC before it is the stream (60 ms). */
const ADOPT_RUN = 3;
/** How far ahead of the stream an event's sequence number may be (lost packets). */
const MAX_FORWARD = 100;
/** How far behind (reordered, or an end packet repeated). */
const MAX_BACKWARD = 16;

/** Where the far end's stream stands, so it can be judged the same on another thread. */
export interface StreamState {
  readonly ssrc: number;
  readonly seq: number;
}

/** Tracks the stream and judges telephone-events against it. */
export class StreamContinuity {
  #ssrc = -1;
  #seq = 0;
  #candidate = -1;
  #candidateRun = 0;

  /** Continues `from` (a leg moving worker): the stream stays the one the caller's audio set. */
  constructor(from?: StreamState) {
    if (from === undefined) return;
    this.#ssrc = from.ssrc;
    this.#seq = from.seq;
  }

  /** The stream's SSRC (-1: none yet) and last sequence number. */
  state(): StreamState {
    return { ssrc: this.#ssrc, seq: this.#seq };
  }

  /** An audio packet of the negotiated codec. */
  audio(ssrc: number, seq: number): void {
    if (ssrc === this.#ssrc) {
      this.#seq = seq;
      this.#candidate = -1;
      this.#candidateRun = 0;
      return;
    }
    if (this.#ssrc === -1) {
      this.#ssrc = ssrc;
      this.#seq = seq;
      return;
    }
    if (ssrc === this.#candidate) this.#candidateRun += 1;
    else {
      this.#candidate = ssrc;
      this.#candidateRun = 1;
    }
    if (this.#candidateRun >= ADOPT_RUN) {
      this.#ssrc = ssrc;
      this.#seq = seq;
      this.#candidate = -1;
      this.#candidateRun = 0;
    }
  }

  /** Whether a telephone-event packet continues the stream (and if so, advances it). */
  event(ssrc: number, seq: number): boolean {
    if (this.#ssrc === -1) {
      // No audio yet (an endpoint that sends only events): the first packet names the stream.
      this.#ssrc = ssrc;
      this.#seq = seq;
      return true;
    }
    if (ssrc !== this.#ssrc) return false;
    const ahead = (seq - this.#seq) & 0xffff;
    if (ahead <= MAX_FORWARD) {
      this.#seq = seq;
      return true;
    }
    return ((this.#seq - seq) & 0xffff) <= MAX_BACKWARD;
  }
}
