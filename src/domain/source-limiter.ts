/**
 * A pike-like limiter of new calls per source address (Kamailio's `pike` module is the
 * model): more than `maxInvites` INVITEs from one address within `windowMs`, or more than
 * `maxNotFound` calls to unknown numbers (a number walk) within a minute, bans the address
 * for `banMs`. The INVITE that crosses the line is refused (503 with Retry-After); while the
 * ban lasts every INVITE is dropped without an answer. Pure: times come from the caller.
 * Memory is bounded: at most `maxSources` addresses are tracked (the oldest quiet ones go).
 */

/** The limits of {@link SourceLimiter}. */
export interface SourceLimitPolicy {
  readonly maxInvites: number;
  readonly windowMs: number;
  readonly banMs: number;
  /** Unknown-number calls per minute before a ban; 0 disables the number-walk rule. */
  readonly maxNotFound: number;
  /** Addresses tracked at once (default 10 000). */
  readonly maxSources?: number;
}

/** What to do with one INVITE from a source. */
export type SourceVerdict =
  | { readonly kind: 'pass' }
  /** The address just crossed the limit: refuse with 503 and this Retry-After. */
  | { readonly kind: 'refuse'; readonly retryAfterSeconds: number }
  /** The address is banned: no answer at all. */
  | { readonly kind: 'drop' };

interface SourceState {
  windowStart: number;
  invites: number;
  notFoundStart: number;
  notFound: number;
  bannedUntil: number;
  lastSeen: number;
}

const NOT_FOUND_WINDOW_MS = 60_000;
const PASS: SourceVerdict = { kind: 'pass' };
const DROP: SourceVerdict = { kind: 'drop' };

/** Per-address INVITE counting and bans. */
export class SourceLimiter {
  readonly #policy: SourceLimitPolicy;
  readonly #sources = new Map<string, SourceState>();

  constructor(policy: SourceLimitPolicy) {
    this.#policy = policy;
  }

  /** Addresses tracked now (for tests and metrics). */
  get size(): number {
    return this.#sources.size;
  }

  /** Whether the address is banned at `now`. */
  isBanned(address: string, now: number): boolean {
    return (this.#sources.get(address)?.bannedUntil ?? 0) > now;
  }

  /** Counts one INVITE from `address` and says what to do with it. */
  invite(address: string, now: number): SourceVerdict {
    const s = this.#state(address, now);
    if (s.bannedUntil > now) return DROP;
    if (now - s.windowStart >= this.#policy.windowMs) {
      s.windowStart = now;
      s.invites = 0;
    }
    s.invites += 1;
    if (s.invites <= this.#policy.maxInvites) return PASS;
    return this.#ban(s, now);
  }

  /**
   * Counts a call to an unknown number from `address`; returns true when that made the
   * address banned (a number walk).
   */
  notFound(address: string, now: number): boolean {
    if (this.#policy.maxNotFound <= 0) return false;
    const s = this.#state(address, now);
    if (now - s.notFoundStart >= NOT_FOUND_WINDOW_MS) {
      s.notFoundStart = now;
      s.notFound = 0;
    }
    s.notFound += 1;
    if (s.notFound <= this.#policy.maxNotFound || s.bannedUntil > now) return false;
    this.#ban(s, now);
    return true;
  }

  #ban(s: SourceState, now: number): SourceVerdict {
    s.bannedUntil = now + this.#policy.banMs;
    return { kind: 'refuse', retryAfterSeconds: Math.max(1, Math.ceil(this.#policy.banMs / 1000)) };
  }

  #state(address: string, now: number): SourceState {
    let s = this.#sources.get(address);
    if (s === undefined) {
      this.#evict(now);
      s = { windowStart: now, invites: 0, notFoundStart: now, notFound: 0, bannedUntil: 0, lastSeen: now };
      this.#sources.set(address, s);
    } else {
      // Re-inserting keeps the map in least-recently-seen order for eviction.
      this.#sources.delete(address);
      this.#sources.set(address, s);
    }
    s.lastSeen = now;
    return s;
  }

  /** Keeps the table bounded: forgets quiet, unbanned addresses, oldest first. */
  #evict(now: number): void {
    const max = this.#policy.maxSources ?? 10_000;
    if (this.#sources.size < max) return;
    const quietFor = Math.max(this.#policy.windowMs, NOT_FOUND_WINDOW_MS);
    for (const [address, s] of this.#sources) {
      if (this.#sources.size < max) return;
      if (s.bannedUntil > now && now - s.lastSeen < quietFor) continue;
      this.#sources.delete(address);
    }
    // Every entry is a live ban: drop the oldest anyway, the table must stay bounded.
    const oldest = this.#sources.keys().next();
    if (this.#sources.size >= max && oldest.done !== true) this.#sources.delete(oldest.value);
  }
}
