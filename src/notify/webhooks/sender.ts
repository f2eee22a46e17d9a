import { Agent, fetch } from 'undici';
import { guardedLookup, refuseLiteralPrivate } from './destination.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

/** One attempt to deliver one event to one webhook. */
export interface DeliveryAttempt {
  readonly url: string;
  readonly secret: string;
  /** The JSON body, exactly as signed. */
  readonly body: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly deliveryId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** What an attempt came to. */
export interface DeliveryResult {
  /** A 2xx answer. */
  readonly ok: boolean;
  /** The HTTP status; null when there was none (refused, timed out, connection failed). */
  readonly status: number | null;
  /** Why it failed, in a few words; null when it did not. */
  readonly error: string | null;
  readonly durationMs: number;
}

/** Posts signed deliveries. */
export interface WebhookSender {
  send(attempt: DeliveryAttempt, timeoutMs: number): Promise<DeliveryResult>;
  /** Ends every connection (in-flight attempts fail). */
  close(): Promise<void>;
}

/** Options of {@link createWebhookSender}. */
export interface WebhookSenderOptions {
  /** Whether loopback and private destinations may be reached (WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
  /** The time signatures carry; default the system clock. */
  readonly now?: () => Date;
  readonly userAgent?: string;
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${String(timeoutMs)} ms`;
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? e.code;
  if (code === 'WEBHOOK_DESTINATION_REFUSED') return 'destination refused: a private or loopback address';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `timed out after ${String(timeoutMs)} ms`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host does not resolve';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  return code ?? cause?.message ?? e.message ?? 'delivery failed';
}

/**
 * The webhook HTTP client: undici's fetch through an agent whose sockets resolve names with
 * {@link guardedLookup} (private addresses refused at connect time unless allowed), no
 * redirects followed, a hard timeout on every attempt, and the answer's body discarded.
 * Every request carries `Dialbridge-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of
 * "t.body">`, plus the event's id and type and the attempt number.
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const now = options.now ?? (() => new Date());
  const agent = new Agent({
    connect: { lookup: guardedLookup(options.allowPrivate) },
    keepAliveTimeout: 10_000,
    connections: 4,
  });
  return {
    async send(attempt, timeoutMs) {
      const started = performance.now();
      const elapsed = (): number => Math.round(performance.now() - started);
      try {
        refuseLiteralPrivate(new URL(attempt.url), options.allowPrivate);
        const t = Math.floor(now().getTime() / 1000);
        const res = await fetch(attempt.url, {
          method: 'POST',
          dispatcher: agent,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': options.userAgent ?? 'dialbridge-webhooks/1',
            [SIGNATURE_HEADER]: signatureHeader(attempt.secret, t, attempt.body),
            'dialbridge-event-id': attempt.eventId,
            'dialbridge-event-type': attempt.eventType,
            'dialbridge-delivery-id': attempt.deliveryId,
            'dialbridge-attempt': String(attempt.attempt),
          },
          body: attempt.body,
        });
        // The answer's body is of no interest; drop it so the connection is free again.
        await res.body?.cancel().catch(() => undefined);
        const ok = res.status >= 200 && res.status < 300;
        const error = ok ? null : res.status >= 300 && res.status < 400 ? `redirect (${String(res.status)}) not followed` : `HTTP ${String(res.status)}`;
        return { ok, status: res.status, error, durationMs: elapsed() };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        const error = e.code === 'WEBHOOK_DESTINATION_REFUSED' ? 'destination refused: a private or loopback address' : describe(err, timeoutMs);
        return { ok: false, status: null, error, durationMs: elapsed() };
      }
    },
    async close() {
      await agent.destroy().catch(() => undefined);
    },
  };
}
