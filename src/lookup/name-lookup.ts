import type { Logger } from 'pino';
import { foundName, inLookupOrder, type LookupQuery, type NameFinder, type NameLookupService } from '../domain/name-lookup.ts';
import type { LookedUpName } from '../domain/name-source.ts';
import { toAppError } from '../lib/errors.ts';

/**
 * Runs the back-end look-up of a number through its sources in the chain's order (user →
 * contact → directory) and answers the first name found. A source that fails or times out
 * is logged (never with the number) and skipped, so the next one still names the leg.
 */
export class NameLookup implements NameLookupService {
  readonly #finders: NameFinder[];
  readonly #log: Logger;

  constructor(finders: readonly NameFinder[], log: Logger) {
    this.#finders = inLookupOrder(finders);
    this.#log = log;
  }

  async lookup(query: LookupQuery): Promise<LookedUpName | null> {
    for (const finder of this.#finders) {
      try {
        const found = foundName(finder.source, await finder.find(query, AbortSignal.timeout(5_000)));
        if (found !== null) return found;
      } catch (err) {
        this.#log.warn({ err: toAppError(err), source: finder.source }, 'name look-up source failed');
      }
    }
    return null;
  }

  endScope(scope: string): void {
    for (const finder of this.#finders) finder.endScope?.(scope);
  }
}
