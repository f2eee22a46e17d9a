import type { Timers } from '../../../../src/flows/index.ts';

/**
 * A clock and timer source that move only when told: `advance(ms)` runs every timer that
 * falls due, in order, with the clock set to its due time. It implements the runtime's
 * whole `Timers` port, so flows cannot tell it from the real one.
 */
export class FakeClock implements Timers {
  #now: number;
  #seq = 0;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.parse('2026-01-05T10:00:00Z')) {
    this.#now = start;
  }

  /** The runtime's clock. */
  readonly clock = (): Date => new Date(this.#now);

  after(ms: number, fn: () => void): { cancel(): void } {
    const id = ++this.#seq;
    this.#pending.set(id, { at: this.#now + ms, fn });
    return {
      cancel: () => {
        this.#pending.delete(id);
      },
    };
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Moves time forward by `ms`, running the timers that fall due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#pending) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#pending.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = end;
  }
}
