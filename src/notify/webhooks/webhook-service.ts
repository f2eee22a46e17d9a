import type { Store } from '../../storage/store.ts';
import type { CircuitState } from './circuit-breaker.ts';
import { checkDestination } from './destination.ts';
import { testPayload } from './payload.ts';
import type { DeliveryResult, WebhookSender } from './sender.ts';

/** What the HTTP layer needs of the webhook machinery besides the store. */
export interface WebhookControl {
  /** Whether loopback and private destinations are allowed (WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivate: boolean;
  /** Sends a `webhook.test` event to the webhook now (not through the outbox) and says how it went. */
  testDelivery(webhookId: string): Promise<DeliveryResult & { readonly eventId: string }>;
  /** A webhook was changed or deleted (its circuit starts afresh, its queue is looked at). */
  changed(webhookId: string): void;
  /** The webhook's circuit now. */
  circuitState(webhookId: string): CircuitState;
}

/** What {@link webhookControl} drives. */
export interface WebhookJobHandle {
  reset(webhookId: string): void;
  kick(webhookId?: string): void;
  circuitState(webhookId: string): CircuitState;
}

/** The {@link WebhookControl} over the store, the sender and the delivery job. */
export function webhookControl(options: { store: Store; sender: WebhookSender; job: WebhookJobHandle; allowPrivate: boolean; timeoutMs: number; now: () => Date }): WebhookControl {
  const { store, sender, job, allowPrivate, timeoutMs, now } = options;
  return {
    allowPrivate,
    async testDelivery(webhookId) {
      const target = store.webhooks.target(webhookId);
      if (target === null) throw new Error(`no webhook ${webhookId}`);
      const payload = testPayload(target.accountId, now());
      try {
        await checkDestination(target.url, allowPrivate);
      } catch (err) {
        return { ok: false, status: null, error: err instanceof Error ? err.message : String(err), durationMs: 0, eventId: payload.id };
      }
      const result = await sender.send(
        { url: target.url, secret: target.secret, body: JSON.stringify(payload), eventId: payload.id, eventType: payload.type, deliveryId: `dlv_test_${payload.id.slice(4)}`, attempt: 1 },
        timeoutMs,
      );
      return { ...result, eventId: payload.id };
    },
    changed(webhookId) {
      job.reset(webhookId);
    },
    circuitState: (webhookId) => job.circuitState(webhookId),
  };
}
