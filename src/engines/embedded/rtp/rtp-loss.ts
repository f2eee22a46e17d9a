/** A jump of more sequence numbers than this is a restart of the stream, not loss (RFC 3550 A.1 MAX_DROPOUT). */
const MAX_DROPOUT = 3000;

/**
 * Counts RTP packets lost on one receive stream from gaps in the sequence numbers (RFC 3550
 * A.3: expected − received, never below zero), across 16-bit wrap-around. A new SSRC or a
 * jump beyond {@link MAX_DROPOUT} closes the current run and starts a new one. Plain
 * numbers only: it runs for every packet.
 */
export class RtpLossCounter {
  #started = false;
  #ssrc = 0;
  #base = 0;
  #max = 0;
  #cycles = 0;
  #received = 0;
  /** Loss of runs already closed. */
  #closedLoss = 0;

  observe(sequence: number, ssrc: number): void {
    if (!this.#started || ssrc !== this.#ssrc) {
      this.#restart(sequence, ssrc);
      return;
    }
    const delta = (sequence - this.#max) & 0xffff;
    if (delta > MAX_DROPOUT && delta < 0x8000) {
      this.#restart(sequence, ssrc);
      return;
    }
    this.#received++;
    if (delta === 0 || delta >= 0x8000) return; // a duplicate or a late (reordered) packet
    if (sequence < this.#max) this.#cycles += 0x10000;
    this.#max = sequence;
  }

  /** Packets lost so far. */
  get lost(): number {
    return this.#closedLoss + this.#runLoss();
  }

  #runLoss(): number {
    if (!this.#started) return 0;
    const expected = this.#cycles + this.#max - this.#base + 1;
    const lost = expected - this.#received;
    return lost > 0 ? lost : 0;
  }

  #restart(sequence: number, ssrc: number): void {
    this.#closedLoss += this.#runLoss();
    this.#started = true;
    this.#ssrc = ssrc;
    this.#base = sequence;
    this.#max = sequence;
    this.#cycles = 0;
    this.#received = 1;
  }
}
