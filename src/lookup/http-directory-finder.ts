import type { LookupQuery, NameFinder } from '../domain/name-lookup.ts';
import { AppError } from '../lib/errors.ts';

/** The longest a third-party directory may take to answer, in ms (the policy's bound). */
export const DIRECTORY_TIMEOUT_MAX_MS = 1_000;

/** Options of {@link HttpDirectoryFinder}. */
export interface HttpDirectoryOptions {
  /** The URL to ask, with `{number}` where the E.164 number goes (URL-encoded), e.g. `https://dir.example/lookup?n={number}`. */
  readonly urlTemplate: string;
  /** How long to wait for an answer, ms (at most {@link DIRECTORY_TIMEOUT_MAX_MS}). */
  readonly timeoutMs: number;
}

/**
 * A third-party directory over HTTP: `GET` the template's URL with the number and nothing
 * else (no account, room or caller details; no cookies), answer `200 {"name": "…"}` to name
 * it, anything else (404, a timeout, bad JSON) names nobody. Answers — found or not — are
 * cached for the conference only (its scope) and forgotten when it ends.
 */
export class HttpDirectoryFinder implements NameFinder {
  readonly source = 'directory' as const;
  readonly #options: HttpDirectoryOptions;
  readonly #cache = new Map<string, Map<string, string | null>>();

  constructor(options: HttpDirectoryOptions) {
    if (!options.urlTemplate.includes('{number}')) throw new AppError('CONFIG_INVALID', 'the directory URL template must contain {number}');
    this.#options = { ...options, timeoutMs: Math.min(options.timeoutMs, DIRECTORY_TIMEOUT_MAX_MS) };
  }

  async find(query: LookupQuery, signal: AbortSignal): Promise<string | null> {
    const scoped = this.#cache.get(query.scope);
    if (scoped?.has(query.number) === true) return scoped.get(query.number) ?? null;
    const name = await this.#ask(query.number, signal);
    let cache = this.#cache.get(query.scope);
    if (cache === undefined) {
      cache = new Map();
      this.#cache.set(query.scope, cache);
    }
    cache.set(query.number, name);
    return name;
  }

  endScope(scope: string): void {
    this.#cache.delete(scope);
  }

  async #ask(number: string, signal: AbortSignal): Promise<string | null> {
    const url = this.#options.urlTemplate.replaceAll('{number}', encodeURIComponent(number));
    const response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)]),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return null;
    }
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) return null;
    const name = (body as { name?: unknown }).name;
    return typeof name === 'string' ? name : null;
  }
}
