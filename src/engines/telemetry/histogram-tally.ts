import type { HistogramSnapshot } from '../../ports/engine-telemetry.ts';

/**
 * A fixed-bucket histogram kept as plain numbers: `observe` finds the bucket and increments,
 * nothing is allocated. `snapshot` turns it into the cumulative form Prometheus expects.
 */
export class HistogramTally {
  readonly #bounds: readonly number[];
  /** Per bucket (not cumulative); the last slot is above every bound. */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(upperBounds: readonly number[]) {
    this.#bounds = upperBounds;
    this.#counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] ?? Infinity)) i++;
    this.#counts[i] = (this.#counts[i] ?? 0) + 1;
    this.#sum += value;
    this.#count++;
  }

  snapshot(): HistogramSnapshot {
    const counts: number[] = [];
    let acc = 0;
    for (let i = 0; i < this.#bounds.length; i++) {
      acc += this.#counts[i] ?? 0;
      counts.push(acc);
    }
    return { upperBounds: [...this.#bounds], counts, sum: this.#sum, count: this.#count };
  }
}
