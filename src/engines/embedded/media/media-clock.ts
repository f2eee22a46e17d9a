import { TICK_LATENESS_BUCKETS_SECONDS } from '../../../ports/engine-telemetry.ts';
import { HistogramTally } from '../../telemetry/histogram-tally.ts';
import { FRAME_MS } from './frame.ts';

/** Something the clock calls once per 20 ms tick. */
export interface Ticker {
  tick(): void;
}

/** The three phases of a tick, run in order: inputs are read, rooms mixed, outputs sent. */
export type TickPhase = 'receive' | 'mix' | 'send';

const FRAME_NS = BigInt(FRAME_MS) * 1_000_000n;
/** If the loop was blocked for longer than this many frames, skip them instead of bursting. */
const MAX_CATCH_UP_FRAMES = 5;

/**
 * One shared 20 ms clock for every channel and bridge in the process. Deadlines are computed
 * from `process.hrtime.bigint()` (tick k is due at start + k·20 ms), so timer jitter never
 * accumulates into drift as it would with `setInterval`. After a short stall it catches up
 * (at most {@link MAX_CATCH_UP_FRAMES} frames); after a long one it re-anchors.
 * It runs only while something is registered.
 */
export class MediaClock {
  readonly #phases: Record<TickPhase, Set<Ticker>> = { receive: new Set(), mix: new Set(), send: new Set() };
  /** Snapshots of the phases in run order, rebuilt on registration changes (not per tick). */
  #run: Ticker[][] = [[], [], []];
  #timer: NodeJS.Timeout | undefined;
  #startNs = 0n;
  #tickIndex = 0n;
  #onError: (err: unknown) => void = () => undefined;

  /** Lateness of recent ticks in µs (ring of the last 4096), for benchmarks. */
  readonly lateness = new Float64Array(4096);
  latenessCount = 0;
  /** Lateness of every tick since the process started, in seconds, for the operator's metrics (never reset). */
  readonly latenessHistogram = new HistogramTally(TICK_LATENESS_BUCKETS_SECONDS);
  /** Ticks run since the process started. */
  ticks = 0;
  /** Frames skipped after a long stall. */
  skipped = 0;

  /** Where errors thrown by a ticker go (a failing ticker never stops the clock). */
  set onError(handler: (err: unknown) => void) {
    this.#onError = handler;
  }

  /** Registers `ticker` for `phase`; starts the clock if it was idle. */
  add(phase: TickPhase, ticker: Ticker): void {
    this.#phases[phase].add(ticker);
    this.#snapshot();
    if (this.#timer === undefined) this.#start();
  }

  /** Unregisters `ticker`; the clock stops once nothing is registered. */
  delete(phase: TickPhase, ticker: Ticker): void {
    this.#phases[phase].delete(ticker);
    this.#snapshot();
    if (this.#phases.receive.size + this.#phases.mix.size + this.#phases.send.size === 0) this.#stop();
  }

  /** Clears the lateness statistics. */
  resetStats(): void {
    this.latenessCount = 0;
    this.skipped = 0;
  }

  /** Runs one tick synchronously (tests drive the pipeline with this). */
  runTick(): void {
    this.ticks++;
    for (const tickers of this.#run) {
      for (const ticker of tickers) {
        try {
          ticker.tick();
        } catch (err) {
          this.#onError(err);
        }
      }
    }
  }

  #snapshot(): void {
    // A ticker removed mid-tick may still run once this tick; every ticker tolerates that.
    this.#run = [[...this.#phases.receive], [...this.#phases.mix], [...this.#phases.send]];
  }

  #start(): void {
    this.#startNs = process.hrtime.bigint();
    this.#tickIndex = 0n;
    this.#schedule();
  }

  #stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    const dueNs = this.#startNs + (this.#tickIndex + 1n) * FRAME_NS;
    const waitMs = Number(dueNs - process.hrtime.bigint()) / 1e6;
    this.#timer = setTimeout(this.#onTimer, waitMs > 0 ? waitMs : 0);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const now = process.hrtime.bigint();
    let due = this.#startNs + (this.#tickIndex + 1n) * FRAME_NS;
    const behind = Number((now - due) / FRAME_NS);
    if (behind > MAX_CATCH_UP_FRAMES) {
      // A long stall: drop the missed frames rather than sending a burst.
      this.skipped += behind;
      this.#tickIndex += BigInt(behind);
      due = this.#startNs + (this.#tickIndex + 1n) * FRAME_NS;
    }
    let runs = 0;
    while (due <= now + 1_000_000n && runs <= MAX_CATCH_UP_FRAMES) {
      const late = Number(process.hrtime.bigint() - due) / 1000;
      this.lateness[this.latenessCount % this.lateness.length] = late > 0 ? late : 0;
      this.latenessHistogram.observe(late > 0 ? late / 1e6 : 0);
      this.latenessCount++;
      this.#tickIndex++;
      this.runTick();
      runs++;
      due = this.#startNs + (this.#tickIndex + 1n) * FRAME_NS;
      // Stop catching up when a registration change emptied the clock.
      if (this.#phases.receive.size + this.#phases.mix.size + this.#phases.send.size === 0) return;
    }
    // A ticker may have stopped and restarted the clock meanwhile (then a timer is set).
    if (!this.#hasTimer()) this.#schedule();
  };

  #hasTimer(): boolean {
    return this.#timer !== undefined;
  }
}

/** The process-wide clock shared by every media channel and mixer bridge. */
export const mediaClock = new MediaClock();
