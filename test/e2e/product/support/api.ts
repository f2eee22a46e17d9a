/**
 * The product's HTTP API as a host's client uses it: JSON over fetch with the API key, the
 * live view, host commands, and the live event stream (the shared SSE test client) with
 * every byte kept for "is this number anywhere in the stream" checks.
 */
import type { LiveConferenceBody, LiveLegBody } from '../../../../src/http/live-projection.ts';
import { openSse, type SseBlock, type SseClient } from '../../../http/support/sse-client.ts';
import { DEMO, type ProductServer } from './product-server.ts';

/** An HTTP answer: status and parsed JSON body (null when empty). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A client of one product's API, for the demo room by default. */
export class Api {
  readonly #product: Pick<ProductServer, 'httpBase' | 'apiKey'>;
  readonly roomId: string;

  constructor(product: Pick<ProductServer, 'httpBase' | 'apiKey'>, roomId: string = DEMO.roomId) {
    this.#product = product;
    this.roomId = roomId;
  }

  async request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const res = await fetch(`${this.#product.httpBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#product.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  }

  /** `GET /v1/rooms/{room}/live`: the running conference or null. */
  async live(): Promise<LiveConferenceBody | null> {
    const answer = await this.request('GET', `/v1/rooms/${this.roomId}/live`);
    if (answer.status !== 200) throw new Error(`live view answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`);
    return (answer.body as { conference: LiveConferenceBody | null }).conference;
  }

  /** Polls the live view until `pick` finds something (bounded); returns it. */
  async waitForLive<T>(pick: (conference: LiveConferenceBody | null) => T | undefined, timeoutMs = 15_000, what = 'live view condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: LiveConferenceBody | null = null;
    for (;;) {
      last = await this.live();
      const found = pick(last);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what} not met within ${String(timeoutMs)} ms; last view: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Waits until the leg with `number` is in `state`; returns it. */
  waitForLegByNumber(number: string, state: LiveLegBody['state'], timeoutMs = 15_000): Promise<LiveLegBody> {
    return this.waitForLive((c) => c?.legs.find((l) => l.number === number && l.state === state), timeoutMs, `leg ${number} ${state}`);
  }

  /** `POST /v1/rooms/{room}/legs/{leg}/{command}`. */
  legCommand(legId: string, command: 'mute' | 'unmute' | 'hold' | 'unhold' | 'drop'): Promise<ApiAnswer> {
    return this.request('POST', `/v1/rooms/${this.roomId}/legs/${legId}/${command}`);
  }

  /** `PATCH /v1/rooms/{room}/legs/{leg}` with a new name. */
  rename(legId: string, name: string): Promise<ApiAnswer> {
    return this.request('PATCH', `/v1/rooms/${this.roomId}/legs/${legId}`, { name });
  }

  /** `POST /v1/rooms/{room}/{command}`. */
  roomCommand(command: 'lock' | 'unlock' | 'mute-all' | 'unmute-all' | 'end'): Promise<ApiAnswer> {
    return this.request('POST', `/v1/rooms/${this.roomId}/${command}`);
  }

  /** Opens the room's live event stream (resuming after `lastEventId`) and keeps reading it in the background. */
  async stream(options: { lastEventId?: string; query?: string } = {}): Promise<LiveStream> {
    const query = options.query === undefined ? '' : `?${options.query}`;
    const client = await openSse(`${this.#product.httpBase}/v1/rooms/${this.roomId}/live/events${query}`, {
      authorization: `Bearer ${this.#product.apiKey}`,
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    });
    return new LiveStream(client);
  }
}

/** A live event stream being read: every block and the raw text of all data seen. */
export class LiveStream {
  readonly client: SseClient;
  readonly blocks: SseBlock[] = [];
  #waiters: (() => void)[] = [];
  #ended = false;

  constructor(client: SseClient) {
    this.client = client;
    void this.#pump();
  }

  async #pump(): Promise<void> {
    for (;;) {
      const block = await this.client.next();
      if (block === null) break;
      this.blocks.push(block);
      for (const wake of this.#waiters.splice(0)) wake();
    }
    this.#ended = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Every event's name and data, as text (what a client of the stream could read). */
  get text(): string {
    return this.blocks.map((b) => `${b.event ?? ''} ${b.data ?? ''}`).join('\n');
  }

  /** Events (name, id + parsed data) received so far. */
  get events(): { event: string; id: string; data: unknown }[] {
    return this.blocks
      .filter((b) => b.event !== undefined)
      .map((b) => ({ event: b.event ?? '', id: b.id ?? '', data: b.data === undefined ? null : (JSON.parse(b.data) as unknown) }));
  }

  /** Waits until an event satisfies `match` (bounded); returns its data. */
  async waitFor(match: (event: string, data: unknown) => boolean, timeoutMs = 15_000, what = 'event'): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => match(e.event, e.data));
      if (found !== undefined) return found.data;
      if (this.#ended) throw new Error(`stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} not seen within ${String(timeoutMs)} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.client.close();
  }
}
