/**
 * A small jitter buffer keyed on RTP timestamps (RFC 3550 §5.1: the timestamp
 * counts samples). Decoded samples are written into a ring at their timestamp's position,
 * so packets of any ptime (20, 30 ms) reorder naturally and a 20 ms frame is read out per
 * mixer tick. The delay starts at 40 ms and grows in 10 ms steps (up to 120 ms) when
 * packets arrive late; packets later than that, and duplicates, are dropped and counted; a jump (new SSRC, silence suppression, clock skew) re-anchors the play-out.
 * No allocation after construction.
 */
/** Ring size in samples (power of two): 256 ms at 8 kHz. */
const CAPACITY = 2048;
const MASK = CAPACITY - 1;

export class JitterBuffer {
  /** Ring size in samples (power of two): 256 ms at 8 kHz. */
  static readonly CAPACITY = CAPACITY;

  readonly #samples = new Int16Array(CAPACITY);
  readonly #filled = new Uint8Array(CAPACITY);
  /** The step by which the delay grows when a packet is late: 10 ms. */
  static readonly GROW_STEP = 80;
  /** The delay never grows beyond 120 ms. */
  static readonly MAX_DELAY = 960;

  #delay: number;
  #anchored = false;
  /** Timestamp of the next sample to play out. */
  #playTs = 0;
  #consecutiveLate = 0;

  /** Packets dropped because they arrived after their play-out time. */
  late = 0;
  /** Packets dropped because their samples were already buffered. */
  duplicates = 0;
  /** Times the play-out point was re-anchored. */
  resyncs = 0;
  /** Times the delay grew because a packet was slightly late. */
  grown = 0;
  /** Frames read with no sample at all (under-run or silence). */
  emptyFrames = 0;

  /** `delaySamples`: how far behind the first packet play-out starts (default 40 ms). */
  constructor(delaySamples = 320) {
    this.#delay = delaySamples;
  }

  /** Forgets everything (e.g. on an SSRC change); the next packet re-anchors. */
  reset(): void {
    this.#anchored = false;
    this.#filled.fill(0);
    this.#consecutiveLate = 0;
  }

  /**
   * Reserves room for a packet of `count` samples starting at RTP `timestamp`. Returns the
   * ring index of its first sample (the caller then decodes sample i into
   * `ring[(start + i) & (CAPACITY - 1)]`), or −1 when the packet is late or a duplicate.
   */
  place(timestamp: number, count: number): number {
    if (count <= 0 || count > JitterBuffer.CAPACITY / 2) return -1;
    if (!this.#anchored) this.#anchor(timestamp);
    // Signed distance on the 32-bit timestamp circle.
    let offset = (timestamp - this.#playTs) | 0;
    if (offset < 0) {
      // Late, but within what a bigger delay can absorb: grow the delay in 10 ms steps (the
      // gap is played once as silence) so a jittery path stops losing packets.
      const grow = Math.ceil(-offset / JitterBuffer.GROW_STEP) * JitterBuffer.GROW_STEP;
      if (this.#delay + grow <= JitterBuffer.MAX_DELAY) {
        this.#delay += grow;
        this.#playTs = (this.#playTs - grow) >>> 0;
        this.grown++;
        offset += grow;
      }
    }
    if (offset < 0) {
      this.late++;
      this.#consecutiveLate++;
      // A stream that is consistently late has a skewed clock or jumped back: re-anchor.
      if (this.#consecutiveLate < 5 && offset > -JitterBuffer.CAPACITY) return -1;
      this.#resync(timestamp);
      offset = this.#delay;
    } else if (offset + count > JitterBuffer.CAPACITY) {
      // Too far ahead: a jump in time (talk spurt after silence, new source). Re-anchor.
      this.#resync(timestamp);
      offset = this.#delay;
    }
    this.#consecutiveLate = 0;
    const start = (this.#playTs + offset) & MASK;
    if (this.#filled[start] === 1) {
      this.duplicates++;
      return -1;
    }
    for (let i = 0; i < count; i++) this.#filled[(start + i) & MASK] = 1;
    return start;
  }

  /** The ring's sample array; write a placed packet's samples at `(start + i) & (CAPACITY-1)`. */
  get ring(): Int16Array {
    return this.#samples;
  }

  /** Reads the next `out.length` samples into `out` (missing samples are 0); returns whether any was present. */
  read(out: Int16Array): boolean {
    const n = out.length;
    if (!this.#anchored) {
      out.fill(0);
      this.emptyFrames++;
      return false;
    }
    let any = false;
    let index = this.#playTs & MASK;
    for (let i = 0; i < n; i++) {
      if (this.#filled[index] === 1) {
        out[i] = this.#samples[index] ?? 0;
        this.#filled[index] = 0;
        any = true;
      } else {
        out[i] = 0;
      }
      index = (index + 1) & MASK;
    }
    this.#playTs = (this.#playTs + n) >>> 0;
    if (!any) this.emptyFrames++;
    return any;
  }

  #anchor(timestamp: number): void {
    this.#playTs = (timestamp - this.#delay) >>> 0;
    this.#anchored = true;
  }

  #resync(timestamp: number): void {
    this.resyncs++;
    this.#filled.fill(0);
    this.#anchor(timestamp);
    this.#consecutiveLate = 0;
  }
}
