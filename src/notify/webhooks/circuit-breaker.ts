/** How a {@link CircuitBreaker} trips and recovers. */
export interface CircuitPolicy {
  /** Consecutive failed attempts that open the circuit. */
  readonly threshold: number;
  /** How long it stays open the first time; doubled each time a trial fails. */
  readonly openMs: number;
  /** The longest it stays open. */
  readonly maxOpenMs: number;
}

export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = { threshold: 5, openMs: 30_000, maxOpenMs: 600_000 };

interface Circuit {
  failures: number;
  openUntil: number;
  openMs: number;
  /** A trial attempt is out (half-open). */
  trial: boolean;
}

/** The state of one endpoint's circuit, as the API shows it. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * One circuit per endpoint: after `threshold` failures in a row the endpoint gets no attempts
 * for `openMs`; then one trial attempt goes out (half-open): success closes the circuit,
 * failure opens it again for twice as long (up to `maxOpenMs`). A dead endpoint so costs one
 * attempt per interval instead of one per waiting event.
 */
export class CircuitBreaker {
  readonly #policy: CircuitPolicy;
  readonly #circuits = new Map<string, Circuit>();

  constructor(policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY) {
    this.#policy = policy;
  }

  #get(key: string): Circuit {
    let c = this.#circuits.get(key);
    if (c === undefined) {
      c = { failures: 0, openUntil: 0, openMs: this.#policy.openMs, trial: false };
      this.#circuits.set(key, c);
    }
    return c;
  }

  /** The circuit's state at `now`. */
  state(key: string, now: number): CircuitState {
    const c = this.#circuits.get(key);
    if (c === undefined || c.failures < this.#policy.threshold) return 'closed';
    return now < c.openUntil ? 'open' : 'half-open';
  }

  /** When an open circuit lets a trial through (0 when it is not open). */
  openUntil(key: string, now: number): number {
    return this.state(key, now) === 'open' ? (this.#circuits.get(key)?.openUntil ?? 0) : 0;
  }

  /** Whether an attempt may go to the endpoint now; a half-open circuit lets one through at a time. */
  tryAcquire(key: string, now: number): boolean {
    const state = this.state(key, now);
    if (state === 'closed') return true;
    if (state === 'open') return false;
    const c = this.#get(key);
    if (c.trial) return false;
    c.trial = true;
    return true;
  }

  /** Records an attempt's outcome. */
  record(key: string, ok: boolean, now: number): void {
    const c = this.#get(key);
    const wasTrial = c.trial;
    c.trial = false;
    if (ok) {
      c.failures = 0;
      c.openMs = this.#policy.openMs;
      c.openUntil = 0;
      return;
    }
    c.failures += 1;
    if (c.failures < this.#policy.threshold) return;
    if (wasTrial) c.openMs = Math.min(this.#policy.maxOpenMs, c.openMs * 2);
    c.openUntil = now + c.openMs;
  }

  /** Forgets an endpoint (deleted, or changed). */
  reset(key: string): void {
    this.#circuits.delete(key);
  }
}
