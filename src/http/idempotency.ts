import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

/** How long an `Idempotency-Key` answer is replayed. */
const KEEP_MS = 24 * 3_600_000;
const MAX_KEYS = 10_000;

/**
 * Replays the answer of a POST retried with the same `Idempotency-Key` (per caller), so that
 * a retried dial never dials twice. In memory: keys live as long as the process, at most a day.
 */
export class IdempotencyCache<T> {
  readonly #answers = new Map<string, { at: number; body: T }>();

  /** The cache key of the request, or null without the header. 400 for a malformed key. */
  keyOf(request: FastifyRequest, caller: string): string | null {
    const header = request.headers['idempotency-key'];
    if (header === undefined) return null;
    const value = Array.isArray(header) ? header[0] ?? '' : header;
    if (!/^[\x21-\x7e]{1,255}$/.test(value)) throw new AppError('BAD_REQUEST', 'header Idempotency-Key must be 1-255 visible ASCII characters', { details: { field: 'Idempotency-Key' } });
    return `${caller} ${request.method} ${request.url} ${value}`;
  }

  /** The stored answer, if any (expired ones are dropped). */
  get(key: string, now: number): T | null {
    const hit = this.#answers.get(key);
    if (hit === undefined) return null;
    if (now - hit.at > KEEP_MS) {
      this.#answers.delete(key);
      return null;
    }
    return hit.body;
  }

  put(key: string, body: T, now: number): void {
    if (this.#answers.size >= MAX_KEYS) {
      const oldest = this.#answers.keys().next().value;
      if (oldest !== undefined) this.#answers.delete(oldest);
    }
    this.#answers.set(key, { at: now, body });
  }
}
