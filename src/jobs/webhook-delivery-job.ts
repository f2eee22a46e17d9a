import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from '../domain/webhook.ts';
import { CircuitBreaker, DEFAULT_CIRCUIT_POLICY, type CircuitPolicy, type CircuitState } from '../notify/webhooks/circuit-breaker.ts';
import type { DeliveryResult, WebhookSender } from '../notify/webhooks/sender.ts';
import type { OutboxHead, WebhookTarget } from '../storage/webhook-repo.ts';
import type { Store } from '../storage/store.ts';

/** What a delivery came to, for metrics. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** Options of {@link WebhookDeliveryJob}. */
export interface WebhookDeliveryOptions {
  readonly store: Store;
  readonly sender: WebhookSender;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Attempts in flight at once, over all webhooks; default 8. */
  readonly concurrency?: number;
  /** Attempts in flight at once to one webhook; default 2. */
  readonly perWebhook?: number;
  /** Each attempt's timeout; default 10 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly circuit?: CircuitPolicy;
  /** The jitter's randomness, in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Whether it runs by itself on timers (the server); tests drive it with {@link WebhookDeliveryJob.runDue}. Default true. */
  readonly timers?: boolean;
  /** Told about every attempt (metrics). */
  readonly onAttempt?: (outcome: DeliveryOutcome, result: DeliveryResult) => void;
  /** Delivered rows are deleted this long after the event, failed ones after four times as long; default 7 days. */
  readonly keepMs?: number;
}

/** The longest the job sleeps without looking at the outbox (new rows wake it at once). */
const IDLE_POLL_MS = 30_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Delivers the webhook outbox: at least once, in order per webhook and conference (only the
 * oldest pending row of each conference's queue is ever in flight, and a row waiting for its
 * retry holds the ones behind it), with bounded concurrency (in all and per webhook), a
 * timeout on every attempt, retries with exponential backoff and jitter for up to 24 hours
 * after the event (then the row is `failed`, visible in the API), and a circuit per webhook.
 * Everything it knows is in the database, so a restart resumes where it stopped; a row whose
 * attempt was cut short by the stop is simply sent again. It never runs on a call's path.
 */
export class WebhookDeliveryJob {
  readonly #o: Required<Omit<WebhookDeliveryOptions, 'onAttempt'>> & Pick<WebhookDeliveryOptions, 'onAttempt'>;
  readonly #circuits: CircuitBreaker;
  /** Row ids in flight → the webhook they go to. */
  readonly #inFlight = new Map<number, string>();
  readonly #attempts = new Set<Promise<void>>();
  /** Per webhook: nothing of it is due before this time (unless new rows arrive). */
  readonly #quietUntil = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  #stopped = false;
  #lastPrune = 0;

  constructor(options: WebhookDeliveryOptions) {
    this.#o = {
      concurrency: 8,
      perWebhook: 2,
      timeoutMs: 10_000,
      retry: DEFAULT_RETRY_POLICY,
      circuit: DEFAULT_CIRCUIT_POLICY,
      random: Math.random,
      timers: true,
      keepMs: 7 * 24 * 3_600_000,
      ...options,
    };
    this.#circuits = new CircuitBreaker(this.#o.circuit);
  }

  /** Starts delivering (on timers); a no-op without them. */
  start(): void {
    if (this.#o.timers) this.kick();
  }

  /** New rows for `webhookId` (or anything changed): look at the outbox soon. */
  kick(webhookId?: string): void {
    if (webhookId === undefined) this.#quietUntil.clear();
    else this.#quietUntil.delete(webhookId);
    if (!this.#o.timers || this.#stopped || this.#scheduled) return;
    this.#scheduled = true;
    clearTimeout(this.#timer);
    setImmediate(() => {
      this.#scheduled = false;
      this.#pass();
    });
  }

  /** A webhook was changed or deleted: its circuit starts afresh. */
  reset(webhookId: string): void {
    this.#circuits.reset(webhookId);
    this.kick(webhookId);
  }

  /** The circuit of a webhook now. */
  circuitState(webhookId: string): CircuitState {
    return this.#circuits.state(webhookId, this.#o.clock().getTime());
  }

  /** Attempts in flight now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Starts every attempt that is due now (as far as the limits allow) and waits for all
   * attempts in flight to finish. Returns how many it started. For tests on a fake clock.
   */
  async runDue(): Promise<number> {
    this.#quietUntil.clear();
    const started = this.#dispatch();
    await Promise.allSettled([...this.#attempts]);
    return started;
  }

  /**
   * Stops: no new attempts; those in flight are cut short (the sender's connections end) and
   * their rows stay pending as they were, to be sent again after the next start.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#o.sender.close();
    await Promise.allSettled([...this.#attempts]);
  }

  #pass(): void {
    if (this.#stopped) return;
    let wake = IDLE_POLL_MS;
    try {
      this.#dispatch();
      this.#prune();
      const now = this.#o.clock().getTime();
      for (const until of this.#quietUntil.values()) if (Number.isFinite(until)) wake = Math.min(wake, until - now);
    } catch (err) {
      this.#o.logger.error({ err }, 'webhook outbox pass failed');
      wake = 5_000;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#pass();
    }, Math.max(10, wake));
    this.#timer.unref();
  }

  /** Starts what is due; records per webhook when it next has something due. */
  #dispatch(): number {
    const { store, clock, concurrency, perWebhook } = this.#o;
    if (store.closed || this.#stopped) return 0;
    const now = clock().getTime();
    let started = 0;
    for (const target of store.webhooks.targets()) {
      if (this.#inFlight.size >= concurrency) break;
      const openUntil = this.#circuits.openUntil(target.id, now);
      if (openUntil > 0) {
        this.#quietUntil.set(target.id, openUntil);
        continue;
      }
      if ((this.#quietUntil.get(target.id) ?? 0) > now) continue;
      let next = Number.POSITIVE_INFINITY;
      let held = false;
      for (const head of store.webhooks.heads(target.id)) {
        if (this.#inFlight.has(head.rowId)) continue;
        if (head.nextAttemptAt > now) {
          next = Math.min(next, head.nextAttemptAt);
          continue;
        }
        if (this.#inFlight.size >= concurrency || this.#countFor(target.id) >= perWebhook || !this.#circuits.tryAcquire(target.id, now)) {
          held = true;
          break;
        }
        this.#launch(target, head);
        started++;
      }
      // Held back by a limit: look again on the next pass (a finishing attempt starts one).
      // Otherwise nothing of this webhook is due before `next`, or before new rows arrive.
      if (held) this.#quietUntil.delete(target.id);
      else this.#quietUntil.set(target.id, next);
    }
    return started;
  }

  #countFor(webhookId: string): number {
    let n = 0;
    for (const w of this.#inFlight.values()) if (w === webhookId) n++;
    return n;
  }

  #launch(target: WebhookTarget, head: OutboxHead): void {
    const { sender, timeoutMs } = this.#o;
    this.#inFlight.set(head.rowId, target.id);
    const attempt = head.attempts + 1;
    const run = sender
      .send({ url: target.url, secret: target.secret, body: head.body, eventId: head.eventId, eventType: head.eventType, deliveryId: head.deliveryId, attempt }, timeoutMs)
      .then((result) => {
        this.#settle(target, head, attempt, result);
      })
      .catch((err: unknown) => {
        this.#o.logger.error({ err, webhookId: target.id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        this.#inFlight.delete(head.rowId);
        this.#attempts.delete(run);
        this.kick(target.id);
      });
    this.#attempts.add(run);
  }

  #settle(target: WebhookTarget, head: OutboxHead, attempt: number, result: DeliveryResult): void {
    const { store, clock, retry, random, logger } = this.#o;
    // An attempt cut short by the stop is no attempt: the row stays as it was.
    if (this.#stopped || store.closed) return;
    const at = clock();
    this.#circuits.record(target.id, result.ok, at.getTime());
    let outcome: DeliveryOutcome;
    if (result.ok) {
      store.webhooks.markDelivered(head.rowId, attempt, result.status ?? 200, at);
      outcome = 'delivered';
    } else {
      const failure = { status: result.status, error: result.error ?? 'failed' };
      if (at.getTime() - head.createdAt >= retry.retryForMs) {
        store.webhooks.markFailed(head.rowId, attempt, failure, at);
        outcome = 'failed';
        logger.warn({ webhookId: target.id, deliveryId: head.deliveryId, attempts: attempt, error: failure.error }, 'webhook delivery given up');
      } else {
        store.webhooks.markRetry(head.rowId, attempt, failure, at, at.getTime() + retryDelayMs(attempt, retry, random()));
        outcome = 'retry';
      }
    }
    this.#o.onAttempt?.(outcome, result);
  }

  #prune(): void {
    const now = this.#o.clock().getTime();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    const removed = this.#o.store.webhooks.prune(now - this.#o.keepMs, now - 4 * this.#o.keepMs);
    if (removed > 0) this.#o.logger.info({ count: removed }, 'old webhook deliveries removed');
  }
}
