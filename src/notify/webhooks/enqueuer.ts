import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LiveEventRecord } from '../../domain/live-view.ts';
import { wantsEvent } from '../../domain/webhook.ts';
import type { Store } from '../../storage/store.ts';
import { livePayload } from './payload.ts';

/** Options of {@link WebhookEnqueuer}. */
export interface WebhookEnqueuerOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** Told after rows were written for a webhook, so its deliveries start at once. */
  readonly onEnqueued?: (webhookId: string) => void;
}

/**
 * The outbox's writer: given every live event (a tap on the live bus), writes one outbox row
 * per enabled webhook of the room's account that wants the event — synchronously, in the
 * tick the event was published, so that nothing published is lost to a crash or restart
 * after it. It never talks to the network: a slow endpoint cannot slow the call that caused
 * the event.
 */
export class WebhookEnqueuer {
  readonly #options: WebhookEnqueuerOptions;
  /** Rooms never change account: remembered after the first look-up. */
  readonly #accountOfRoom = new Map<string, string | null>();

  constructor(options: WebhookEnqueuerOptions) {
    this.#options = options;
  }

  /** Writes the event's deliveries; returns how many rows it wrote. */
  handle(roomId: string, record: LiveEventRecord): number {
    const { store } = this.#options;
    if (store.closed) return 0;
    let accountId = this.#accountOfRoom.get(roomId);
    if (accountId === undefined) {
      accountId = store.rooms.get(roomId)?.accountId ?? null;
      this.#accountOfRoom.set(roomId, accountId);
    }
    if (accountId === null) return 0;
    const hooks = store.webhooks.enabledOf(accountId).filter((w) => wantsEvent(w.events, record.type));
    if (hooks.length === 0) return 0;
    const payload = livePayload(accountId, roomId, record);
    const body = JSON.stringify(payload);
    const orderingKey = payload.conferenceId ?? `room:${roomId}`;
    store.webhooks.enqueue(
      hooks.map((w) => ({ deliveryId: `dlv_${randomUUID().replaceAll('-', '')}`, webhookId: w.id, eventId: payload.id, eventType: payload.type, orderingKey, body })),
      new Date(Date.parse(record.at)),
    );
    for (const w of hooks) this.#options.onEnqueued?.(w.id);
    return hooks.length;
  }

  /** `handle`, logging instead of throwing (the bus's tap). */
  readonly tap = (roomId: string, record: LiveEventRecord): void => {
    try {
      this.handle(roomId, record);
    } catch (err) {
      this.#options.logger.error({ err, roomId, eventType: record.type }, 'webhook deliveries could not be written');
    }
  };
}
