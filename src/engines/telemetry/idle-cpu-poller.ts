/**
 * The media host's idle CPU, for admission control: a sample is taken every `intervalMs`
 * (one at a time) and the latest kept. A sample that does not arrive within `timeoutMs`
 * counts as no idle CPU at all — a media server too busy to say how busy it is, is busy —
 * and its late answer is ignored; a sample that fails (the media server is gone) counts as
 * unknown. The timer is unref'd.
 */

/** Takes one sample: the idle share 0–1, or undefined when it cannot be told. */
export type IdleSampler = () => Promise<number | undefined>;

/** Options of {@link IdleCpuPoller}. */
export interface IdleCpuPollerOptions {
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
}

export class IdleCpuPoller {
  readonly #sample: IdleSampler;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = false;
  #idle: number | undefined;
  /** Bumped by stop(): a sample still on its way is dropped. */
  #generation = 0;

  constructor(sample: IdleSampler, options: IdleCpuPollerOptions = {}) {
    this.#sample = sample;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 2000;
  }

  /** The latest idle share, 0–1, or undefined while unknown. */
  get idle(): number | undefined {
    return this.#idle;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      void this.#poll();
    }, this.#intervalMs);
    this.#timer.unref();
    void this.#poll();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#generation++;
    this.#idle = undefined;
    this.#inFlight = false;
  }

  async #poll(): Promise<void> {
    if (this.#inFlight) return;
    this.#inFlight = true;
    const generation = this.#generation;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => { resolve('late'); }, this.#timeoutMs);
      timer.unref();
    });
    let value: number | undefined | 'late';
    try {
      value = await Promise.race([this.#sample(), late]);
    } catch {
      value = undefined;
    } finally {
      clearTimeout(timer);
    }
    if (generation !== this.#generation) return;
    this.#inFlight = false;
    if (value === 'late') this.#idle = 0;
    else this.#idle = value === undefined ? undefined : Math.min(1, Math.max(0, value));
  }
}
