import { randomUUID } from 'node:crypto';
import { conferenceOf, publishedEvent } from '../../domain/live-publication.ts';
import type { LiveEvent, LiveEventRecord } from '../../domain/live-view.ts';
import { TEST_EVENT_TYPE } from '../../domain/webhook.ts';

/**
 * The JSON every webhook receives (docs/webhooks.md, "Payload"). `data` is the live event
 * exactly as the event stream publishes it — the same fields, the same masking (a withheld
 * number is null) — so a receiver and a live client read one schema.
 */
export interface WebhookPayload {
  /** Unique per event (the same for every webhook it goes to): receivers de-duplicate on it. */
  readonly id: string;
  readonly type: string;
  /** When the event happened, ISO-8601. */
  readonly createdAt: string;
  /** The live event's id in the room's event stream (rises per room), or null. */
  readonly sequence: string | null;
  readonly accountId: string;
  readonly roomId: string | null;
  readonly conferenceId: string | null;
  readonly data: LiveEvent | { readonly message: string };
}

/** The payload of a published live event. */
export function livePayload(accountId: string, roomId: string, record: LiveEventRecord): WebhookPayload {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    type: record.type,
    createdAt: record.at,
    sequence: record.id,
    accountId,
    roomId,
    conferenceId: conferenceOf(record.event),
    data: publishedEvent(record.event),
  };
}

/** The payload of the test-delivery route. */
export function testPayload(accountId: string, at: Date): WebhookPayload {
  return {
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    type: TEST_EVENT_TYPE,
    createdAt: at.toISOString(),
    sequence: null,
    accountId,
    roomId: null,
    conferenceId: null,
    data: { message: 'A test delivery from dialbridge: your endpoint is reachable and can check the signature.' },
  };
}
