import type { Database } from 'better-sqlite3';
import type { Page, PageRequest } from '../domain/page.ts';
import type { DeliveryStatus, Webhook, WebhookDelivery } from '../domain/webhook.ts';
import { AppError } from '../lib/errors.ts';
import { pageOf } from './page.ts';
import type { SecretBox } from './secret-box.ts';

interface WebhookRow {
  id: string;
  account_id: string;
  url: string;
  description: string | null;
  events: string;
  enabled: number;
  secret_box: string;
  secret_hint: string;
  created_at: string;
  updated_at: string;
}

interface OutboxRow {
  id: number;
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  ordering_key: string;
  body: string;
  created_at: number;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

function toWebhook(r: WebhookRow): Webhook {
  return {
    id: r.id,
    accountId: r.account_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    enabled: r.enabled === 1,
    secretHint: r.secret_hint,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toDelivery(r: OutboxRow): WebhookDelivery {
  return {
    id: r.delivery_id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    createdAt: new Date(r.created_at).toISOString(),
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    lastAttemptAt: iso(r.last_attempt_at),
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
  };
}

/** An enabled webhook with its secret, as the delivery job needs it. */
export interface WebhookTarget {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly secret: string;
}

/** A pending delivery at the head of its conference's queue, as the delivery job sends it. */
export interface OutboxHead {
  readonly rowId: number;
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly orderingKey: string;
  readonly body: string;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

/** A new outbox row. */
export interface NewDelivery {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly orderingKey: string;
  readonly body: string;
}

/** Webhooks (endpoints with their sealed secrets) and the outbox of deliveries to them. */
export class WebhookRepo {
  readonly #db: Database;
  readonly #box: SecretBox;

  constructor(db: Database, box: SecretBox) {
    this.#db = db;
    this.#box = box;
  }

  /** Adds a webhook; its secret is sealed before it is written. */
  create(input: { id: string; accountId: string; url: string; description: string | null; events: readonly string[]; enabled: boolean; secret: string }, at: Date): Webhook {
    const now = at.toISOString();
    this.#db
      .prepare(
        `INSERT INTO webhooks (id, account_id, url, description, events, enabled, secret_box, secret_hint, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.id, input.accountId, input.url, input.description, JSON.stringify(input.events), input.enabled ? 1 : 0, this.#box.seal(input.secret), input.secret.slice(-4), now, now);
    return this.#require(input.id);
  }

  /** The webhook, or null. */
  get(id: string): Webhook | null {
    const row = this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(id);
    return row === undefined ? null : toWebhook(row);
  }

  /** An account's webhooks, oldest first, a page at a time. */
  list(accountId: string, page: PageRequest): Page<Webhook> {
    return pageOf(page, 2, (w) => [w.createdAt, w.id], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, WebhookRow>(
          `SELECT * FROM webhooks WHERE account_id = @accountId
           ${after === null ? '' : 'AND (created_at, id) > (@at, @id)'} ORDER BY created_at, id LIMIT @limit`,
        )
        .all({ accountId, at: after?.[0], id: after?.[1], limit })
        .map(toWebhook),
    );
  }

  /** The enabled webhooks of an account (the enqueuer asks on every event). */
  enabledOf(accountId: string): Webhook[] {
    return this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE account_id = ? AND enabled = 1 ORDER BY created_at, id').all(accountId).map(toWebhook);
  }

  /** Every enabled webhook with its secret opened (the delivery job's view). */
  targets(): WebhookTarget[] {
    return this.#db
      .prepare<[], WebhookRow>('SELECT * FROM webhooks WHERE enabled = 1 ORDER BY id')
      .all()
      .map((r) => ({ id: r.id, accountId: r.account_id, url: r.url, secret: this.#box.open(r.secret_box) }));
  }

  /** One webhook with its secret opened, enabled or not (the test-delivery route). */
  target(id: string): WebhookTarget | null {
    const r = this.#db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE id = ?').get(id);
    return r === undefined ? null : { id: r.id, accountId: r.account_id, url: r.url, secret: this.#box.open(r.secret_box) };
  }

  /** Changes the given fields. */
  update(id: string, patch: { url?: string; description?: string | null; events?: readonly string[]; enabled?: boolean }, at: Date): Webhook {
    const current = this.#require(id);
    this.#db
      .prepare('UPDATE webhooks SET url = ?, description = ?, events = ?, enabled = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.url ?? current.url,
        patch.description === undefined ? current.description : patch.description,
        JSON.stringify(patch.events ?? current.events),
        (patch.enabled ?? current.enabled) ? 1 : 0,
        at.toISOString(),
        id,
      );
    return this.#require(id);
  }

  /** Replaces the secret. */
  setSecret(id: string, secret: string, at: Date): Webhook {
    this.#db.prepare('UPDATE webhooks SET secret_box = ?, secret_hint = ?, updated_at = ? WHERE id = ?').run(this.#box.seal(secret), secret.slice(-4), at.toISOString(), id);
    return this.#require(id);
  }

  /** Deletes the webhook and its outbox rows. */
  remove(id: string): void {
    this.#db.prepare('DELETE FROM webhooks WHERE id = ?').run(id);
  }

  // --- The outbox.

  /** Appends deliveries, due at once, in the order given. */
  enqueue(rows: readonly NewDelivery[], at: Date): void {
    const insert = this.#db.prepare(
      `INSERT INTO webhook_outbox (delivery_id, webhook_id, event_id, event_type, ordering_key, body, created_at, status, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    );
    const ms = at.getTime();
    this.#db.transaction(() => {
      for (const r of rows) insert.run(r.deliveryId, r.webhookId, r.eventId, r.eventType, r.orderingKey, r.body, ms, ms);
    })();
  }

  /** The oldest pending delivery of each of the webhook's queues (one per conference). */
  heads(webhookId: string): OutboxHead[] {
    return this.#db
      .prepare<[string], OutboxRow>(
        `SELECT o.* FROM webhook_outbox o
         JOIN (SELECT MIN(id) AS id FROM webhook_outbox WHERE webhook_id = ? AND status = 'pending' GROUP BY ordering_key) h ON h.id = o.id
         ORDER BY o.next_attempt_at, o.id`,
      )
      .all(webhookId)
      .map((r) => ({
        rowId: r.id,
        deliveryId: r.delivery_id,
        webhookId: r.webhook_id,
        eventId: r.event_id,
        eventType: r.event_type,
        orderingKey: r.ordering_key,
        body: r.body,
        createdAt: r.created_at,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
      }));
  }

  /** Records a successful attempt. */
  markDelivered(rowId: number, attempts: number, status: number, at: Date): void {
    this.#db
      .prepare("UPDATE webhook_outbox SET status = 'delivered', attempts = ?, last_attempt_at = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ? AND status = 'pending'")
      .run(attempts, at.getTime(), status, at.getTime(), rowId);
  }

  /** Records a failed attempt and when to try again. */
  markRetry(rowId: number, attempts: number, failure: { status: number | null; error: string }, at: Date, nextAttemptAt: number): void {
    this.#db
      .prepare("UPDATE webhook_outbox SET attempts = ?, last_attempt_at = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'")
      .run(attempts, at.getTime(), failure.status, failure.error.slice(0, 500), nextAttemptAt, rowId);
  }

  /** Records the last failed attempt: given up. */
  markFailed(rowId: number, attempts: number, failure: { status: number | null; error: string }, at: Date): void {
    this.#db
      .prepare("UPDATE webhook_outbox SET status = 'failed', attempts = ?, last_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ? AND status = 'pending'")
      .run(attempts, at.getTime(), failure.status, failure.error.slice(0, 500), rowId);
  }

  /** Puts a failed delivery back in its queue, due now (it keeps its place by id). */
  retry(webhookId: string, deliveryId: string, at: Date): WebhookDelivery | null {
    this.#db
      .prepare("UPDATE webhook_outbox SET status = 'pending', next_attempt_at = ?, created_at = ? WHERE webhook_id = ? AND delivery_id = ? AND status = 'failed'")
      .run(at.getTime(), at.getTime(), webhookId, deliveryId);
    return this.delivery(webhookId, deliveryId);
  }

  /** One delivery of the webhook, or null. */
  delivery(webhookId: string, deliveryId: string): WebhookDelivery | null {
    const row = this.#db.prepare<[string, string], OutboxRow>('SELECT * FROM webhook_outbox WHERE webhook_id = ? AND delivery_id = ?').get(webhookId, deliveryId);
    return row === undefined ? null : toDelivery(row);
  }

  /** The webhook's deliveries, newest first, optionally of one status, a page at a time. */
  deliveries(webhookId: string, status: DeliveryStatus | undefined, page: PageRequest): Page<WebhookDelivery> {
    const result = pageOf<OutboxRow>(page, 1, (r) => [String(r.id)], (after, limit) =>
      this.#db
        .prepare<Record<string, unknown>, OutboxRow>(
          `SELECT * FROM webhook_outbox WHERE webhook_id = @webhookId ${status === undefined ? '' : 'AND status = @status'}
           ${after === null ? '' : 'AND id < @after'} ORDER BY id DESC LIMIT @limit`,
        )
        .all({ webhookId, status, after: after === null ? undefined : Number(after[0]), limit }),
    );
    return { items: result.items.map(toDelivery), nextCursor: result.nextCursor };
  }

  /** How many deliveries of the webhook are pending and failed. */
  counts(webhookId: string): { pending: number; failed: number } {
    const rows = this.#db
      .prepare<[string], { status: DeliveryStatus; n: number }>("SELECT status, COUNT(*) AS n FROM webhook_outbox WHERE webhook_id = ? AND status <> 'delivered' GROUP BY status")
      .all(webhookId);
    return { pending: rows.find((r) => r.status === 'pending')?.n ?? 0, failed: rows.find((r) => r.status === 'failed')?.n ?? 0 };
  }

  /** Pending deliveries in all (the outbox depth). */
  pendingCount(): number {
    return this.#db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM webhook_outbox WHERE status = 'pending'").get()?.n ?? 0;
  }

  /** Deletes delivered rows created before `deliveredBefore` and failed ones before `failedBefore`; returns how many. */
  prune(deliveredBefore: number, failedBefore: number): number {
    const a = this.#db.prepare("DELETE FROM webhook_outbox WHERE status = 'delivered' AND created_at < ?").run(deliveredBefore).changes;
    const b = this.#db.prepare("DELETE FROM webhook_outbox WHERE status = 'failed' AND created_at < ?").run(failedBefore).changes;
    return a + b;
  }

  #require(id: string): Webhook {
    const found = this.get(id);
    if (found === null) throw new AppError('NOT_FOUND', 'webhook not found');
    return found;
  }
}
