import type { DtmfSource } from '../../../ports/media-options.ts';

/** Within this window the same digit from a second source is the same key press. */
export const DTMF_DEDUP_WINDOW_MS = 200;

/**
 * One digit stream per channel from several sources (RFC 4733 RTP, SIP INFO, in-band).
 * Phones often send a key press both ways: the same digit seen from a different source
 * within {@link DTMF_DEDUP_WINDOW_MS} of the last sighting counts once. Digits from the
 * same source are never merged here (each source de-duplicates its own repeats).
 */
export class DtmfDeduplicator {
  readonly #lastSeen = new Map<DtmfSource, { digit: string; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Notes that `source` still shows `digit` (e.g. RFC 4733 continuation packets). */
  touch(digit: string, source: DtmfSource): void {
    const seen = this.#lastSeen.get(source);
    if (seen?.digit === digit) seen.at = this.#now();
  }

  /** Returns true when `digit` from `source` is a new key press to report. */
  accept(digit: string, source: DtmfSource): boolean {
    const now = this.#now();
    let duplicate = false;
    for (const [other, seen] of this.#lastSeen) {
      if (other !== source && seen.digit === digit && now - seen.at <= DTMF_DEDUP_WINDOW_MS) {
        duplicate = true;
        // Consume the match: a third press shortly after is a new key press.
        this.#lastSeen.delete(other);
        break;
      }
    }
    if (duplicate) return false;
    this.#lastSeen.set(source, { digit, at: now });
    return true;
  }
}
