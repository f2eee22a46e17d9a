/**
 * Status-API load during the bench's window: `GET /v1/rooms/{id}/live` at a fixed rate, the
 * rooms in turn, over a small keep-alive pool (open loop: a slow answer does not slow the
 * rate; at most `maxInFlight` requests wait at once, the rest count as errors). Latencies are
 * measured on the client, from sending to the end of the body.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/** What a paced run gave. */
export interface ApiLoadResult {
  readonly latenciesMs: number[];
  readonly errors: number;
}

/** A small client of the product's API. */
export class ApiClient {
  readonly #pool: Pool;
  readonly #auth: string;

  constructor(base: string, apiKey: string, connections = 4) {
    this.#pool = new Pool(base, { connections, pipelining: 1 });
    this.#auth = `Bearer ${apiKey}`;
  }

  /** One request; the status and the parsed body (null when not JSON). */
  async request(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: unknown }> {
    const res = await this.#pool.request({ method, path, headers: { authorization: this.#auth } });
    const text = await res.body.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: res.statusCode, body };
  }

  /** Paces `GET /v1/rooms/{id}/live` at `rps` over `roomIds` for `seconds`. */
  async paceLive(roomIds: readonly string[], rps: number, seconds: number, maxInFlight = 64): Promise<ApiLoadResult> {
    const latenciesMs: number[] = [];
    let errors = 0;
    let inFlight = 0;
    const pending: Promise<void>[] = [];
    const total = Math.round(rps * seconds);
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rps;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= maxInFlight) {
        errors++;
        continue;
      }
      const room = roomIds[i % roomIds.length] ?? '';
      const sent = performance.now();
      inFlight++;
      pending.push(
        this.request('GET', `/v1/rooms/${room}/live`)
          .then((r) => {
            if (r.status === 200) latenciesMs.push(performance.now() - sent);
            else errors++;
          })
          .catch(() => {
            errors++;
          })
          .finally(() => {
            inFlight--;
          }),
      );
    }
    await Promise.all(pending);
    return { latenciesMs, errors };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
