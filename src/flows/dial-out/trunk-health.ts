import type { TrunkHealth } from '../../domain/trunk.ts';

/** Faults of each trunk since start (401/407 twice, unreachable), for the health endpoint. */
export class TrunkHealthBoard {
  readonly #byTrunk = new Map<string, { name: string; errors: number; lastError: string | null }>();

  /** Counts one fault of the trunk. `what` is a short reason (`trunk-auth`, `trunk-unreachable`), never a credential. */
  fault(trunkId: string, name: string, what: string): void {
    const entry = this.#byTrunk.get(trunkId) ?? { name, errors: 0, lastError: null };
    entry.errors++;
    entry.lastError = what;
    this.#byTrunk.set(trunkId, entry);
  }

  /** Every trunk that had a fault. */
  list(): TrunkHealth[] {
    return [...this.#byTrunk.entries()].map(([trunkId, e]) => ({ trunkId, name: e.name, errors: e.errors, lastError: e.lastError }));
  }
}
