/**
 * A real HTTP server standing in for a customer's webhook endpoint: node:http on 127.0.0.1
 * port 0, recording every request (headers, raw body, parsed JSON) and answering as the test
 * says — a status, or `hang` (never answers; the sockets are destroyed at close).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';

/** One request the receiver got. */
export interface Received {
  readonly n: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: { id: string; type: string; conferenceId: string | null; data: unknown; [k: string]: unknown };
  readonly at: number;
}

/** How to answer request `n` (1-based). */
export type Answer = number | 'hang';

export class WebhookReceiver {
  readonly requests: Received[] = [];
  answer: (request: Received) => Answer = () => 200;
  readonly #server: Server;
  readonly #waiters = new Set<() => void>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(t: Test, answer?: (request: Received) => Answer): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    if (answer !== undefined) receiver.answer = answer;
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Received['json'];
        try {
          json = JSON.parse(body) as Received['json'];
        } catch {
          json = { id: '', type: '', conferenceId: null, data: null };
        }
        const received: Received = { n: receiver.requests.length + 1, path: req.url ?? '', headers: req.headers, body, json, at: Date.now() };
        receiver.requests.push(received);
        for (const wake of [...receiver.#waiters]) wake();
        const a = receiver.answer(received);
        if (a === 'hang') return;
        res.writeHead(a, { 'content-type': 'text/plain' }).end(a < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => receiver.close());
    return receiver;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The URL of `path` on this receiver. */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${String(this.port)}${path}`;
  }

  /** Resolves once `predicate` holds for the requests so far (bounded). */
  async waitFor(predicate: (requests: readonly Received[]) => boolean, timeoutMs = 10_000, what = 'webhook requests'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.requests)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not seen within ${String(timeoutMs)} ms (got ${String(this.requests.length)}: ${this.requests.map((r) => r.json.type).join(', ')})`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 200));
        this.#waiters.add(wake);
      });
    }
  }

  /** Stops listening and ends every connection (hanging ones too). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => {
        resolve();
      });
    });
  }
}
