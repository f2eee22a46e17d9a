import type { ServerResponse } from 'node:http';
import { formatSseComment, formatSseEvent, formatSseRetry } from './sse-frame.ts';

/** How an {@link SseStream} behaves. */
export interface SseStreamOptions {
  /** Interval of keep-alive comments in milliseconds. */
  readonly keepAliveMs: number;
  /** A client this far behind (bytes queued in the socket) is dropped, not buffered for. */
  readonly maxBufferedBytes: number;
  /** Reconnection delay suggested to the client, in milliseconds. */
  readonly retryMs: number;
  /** Extra response headers (e.g. CORS) to send with the stream's head. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One Server-Sent Events connection on a raw Node response. It sends events with the id it
 * is given (or numbers them with its own counter), sends keep-alive comments, and runs every
 * `onClose` callback exactly once when the client goes away, the server closes it, or the socket fails.
 */
export class SseStream {
  readonly #res: ServerResponse;
  readonly #options: SseStreamOptions;
  readonly #closeCallbacks: (() => void)[] = [];
  #nextId = 1;
  #closed = false;
  #keepAlive: NodeJS.Timeout | undefined;

  constructor(res: ServerResponse, options: SseStreamOptions) {
    this.#res = res;
    this.#options = options;
  }

  /** True once the stream has ended for any reason. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes the response head and starts the keep-alive timer. */
  open(): void {
    if (this.#closed) return;
    this.#res.on('close', () => {
      this.#finish();
    });
    this.#res.on('error', () => {
      this.#finish();
    });
    this.#res.writeHead(200, {
      ...this.#options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.#write(formatSseRetry(this.#options.retryMs));
    this.#keepAlive = setInterval(() => {
      this.#write(formatSseComment('keep-alive'));
    }, this.#options.keepAliveMs);
    this.#keepAlive.unref();
  }

  /**
   * Sends one event whose data is `payload` as JSON, with `id` (the stream's own counter
   * when none is given). Ignored once closed.
   */
  send(event: string, payload: unknown, id?: string): void {
    if (this.#closed) return;
    const eventId = id ?? String(this.#nextId++);
    this.#write(formatSseEvent({ event, id: eventId, data: JSON.stringify(payload) }));
  }

  /** Sends an event already in wire form (see sse-frame.ts), e.g. one made once for many streams. Ignored once closed. */
  sendFrame(text: string): void {
    this.#write(text);
  }

  /** Registers a callback run once when the stream ends (immediately if it already has). */
  onClose(callback: () => void): void {
    if (this.#closed) {
      callback();
      return;
    }
    this.#closeCallbacks.push(callback);
  }

  /** Ends the stream from the server side. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#res.end();
    this.#finish();
  }

  #write(text: string): void {
    if (this.#closed) return;
    if (this.#res.writableLength > this.#options.maxBufferedBytes) {
      // A client that stopped reading would otherwise make us hold every event in memory.
      this.#res.destroy();
      this.#finish();
      return;
    }
    this.#res.write(text);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    // A client that went away may leave a half-closed socket behind; free it now rather than
    // let it hold the server (and its shutdown) until some timeout.
    if (!this.#res.writableEnded) this.#res.destroy();
    const callbacks = this.#closeCallbacks.splice(0);
    for (const callback of callbacks) {
      try {
        callback();
      } catch {
        // One failing cleanup must not stop the others; callers log their own failures.
      }
    }
  }
}
