import { isLiveEventType, type LiveEventType } from './live-event-types.ts';

/** A customer's endpoint that live events are posted to. The secret is never part of it. */
export interface Webhook {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly description: string | null;
  /** Event names (`leg.muted`), `prefix.*` (`leg.*`) or `*`; `leg.talking` only when named. */
  readonly events: readonly string[];
  readonly enabled: boolean;
  /** The secret's last four characters, so a person can tell which one a receiver holds. */
  readonly secretHint: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Where a delivery stands. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event on its way to one webhook (an outbox row). */
export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: string;
  /** When the next attempt is due (pending only). */
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  /** The HTTP status of the last attempt; null when it got none (refused, timeout, connection error). */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
}

/** The name of the event sent by the test-delivery route. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** Whether an event-filter entry is well formed: a known name, `prefix.*` of known names, or `*`. */
export function isEventPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return Object.keys(liveTypesByPrefix).includes(prefix);
  }
  return isLiveEventType(pattern);
}

const liveTypesByPrefix: Record<string, true> = { 'conference.': true, 'leg.': true, 'recording.': true, 'pin.': true };

/**
 * Whether a webhook with `filter` wants an event of `type`. Talking changes are many (every
 * time someone starts or stops speaking): a webhook gets them only when it names
 * `leg.talking` itself, never through `*` or `leg.*`.
 */
export function wantsEvent(filter: readonly string[], type: LiveEventType): boolean {
  if (filter.includes(type)) return true;
  if (type === 'leg.talking') return false;
  return filter.some((p) => p === '*' || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** How deliveries are retried. */
export interface RetryPolicy {
  /** The first retry waits about this long; each next one twice as long. */
  readonly baseDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
  /** An event not delivered this long after it happened is given up on (failed). */
  readonly retryForMs: number;
}

/** The default: 10 s, doubling, at most an hour apart, for 24 hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 10_000, maxDelayMs: 3_600_000, retryForMs: 24 * 3_600_000 };

/**
 * The wait before the retry that follows failed attempt `attempt` (1 for the first):
 * exponential, capped, with "equal jitter" — half the step fixed, half random — so that the
 * deliveries of many conferences to one endpoint that failed together do not come back
 * together. `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.round(step / 2 + (step / 2) * random);
}
