import { randomUUID } from 'node:crypto';
import { isEventPattern, type Webhook } from '../domain/webhook.ts';
import { AppError } from '../lib/errors.ts';
import { checkDestination } from '../notify/webhooks/destination.ts';
import { newWebhookSecret } from '../notify/webhooks/signature.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { badField } from './validation.ts';

/** What a new webhook is made from. */
export interface WebhookInput {
  readonly url: string;
  readonly events?: readonly string[] | undefined;
  readonly enabled?: boolean | undefined;
  readonly description?: string | null | undefined;
}

/** A change to a webhook (the fields given). */
export interface WebhookPatch {
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly enabled?: boolean | undefined;
  readonly description?: string | null | undefined;
}

/** How webhook destinations are checked: whether private ones are allowed (WEBHOOK_ALLOW_PRIVATE). */
export interface DestinationPolicy {
  readonly allowPrivate: boolean;
}

const MAX_WEBHOOKS_PER_ACCOUNT = 20;

function checkEvents(events: readonly string[]): string[] {
  if (events.length === 0) throw badField('body/events', 'must name at least one event (or "*")');
  events.forEach((e, i) => {
    if (!isEventPattern(e)) throw badField(`body/events/${String(i)}`, `is not an event name, a "prefix.*" or "*": ${e}`);
  });
  return [...new Set(events)];
}

async function checkUrl(url: string, policy: DestinationPolicy): Promise<string> {
  if (url.length > 2048) throw badField('body/url', 'must be at most 2048 characters');
  return (await checkDestination(url, policy.allowPrivate)).toString();
}

/** The host of a URL, for the audit log (the path and query may hold a customer's token). */
function hostOf(url: string): string {
  return new URL(url).host;
}

/** Adds a webhook to the account; the secret is in the answer this once and never again. */
export async function createWebhook(ctx: AdminContext, accountId: string, input: WebhookInput, policy: DestinationPolicy): Promise<{ webhook: Webhook; secret: string }> {
  const url = await checkUrl(input.url, policy);
  const events = checkEvents(input.events ?? ['*']);
  if (ctx.store.webhooks.list(accountId, { limit: MAX_WEBHOOKS_PER_ACCOUNT }).items.length >= MAX_WEBHOOKS_PER_ACCOUNT) {
    throw new AppError('BAD_REQUEST', `an account has at most ${String(MAX_WEBHOOKS_PER_ACCOUNT)} webhooks`);
  }
  const secret = newWebhookSecret();
  const webhook = ctx.store.webhooks.create(
    { id: `wh_${randomUUID().replaceAll('-', '')}`, accountId, url, description: input.description ?? null, events, enabled: input.enabled ?? true, secret },
    ctx.now(),
  );
  audit(ctx, { accountId, action: 'webhook.created', target: { kind: 'webhook', id: webhook.id }, detail: { host: hostOf(url), events, enabled: webhook.enabled } });
  return { webhook, secret };
}

/** Changes a webhook's URL, events, description or whether it is enabled. */
export async function updateWebhook(ctx: AdminContext, webhook: Webhook, patch: WebhookPatch, policy: DestinationPolicy): Promise<Webhook> {
  const url = patch.url === undefined ? undefined : await checkUrl(patch.url, policy);
  const events = patch.events === undefined ? undefined : checkEvents(patch.events);
  const updated = ctx.store.webhooks.update(
    webhook.id,
    {
      ...(url === undefined ? {} : { url }),
      ...(events === undefined ? {} : { events }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
    },
    ctx.now(),
  );
  audit(ctx, {
    accountId: webhook.accountId,
    action: 'webhook.updated',
    target: { kind: 'webhook', id: webhook.id },
    detail: { fields: Object.keys(patch).filter((k) => patch[k as keyof WebhookPatch] !== undefined), host: hostOf(updated.url), enabled: updated.enabled },
  });
  return updated;
}

/** Replaces the secret; the new one is in the answer this once. Deliveries are signed with it from now on. */
export function rotateWebhookSecret(ctx: AdminContext, webhook: Webhook): { webhook: Webhook; secret: string } {
  const secret = newWebhookSecret();
  const updated = ctx.store.webhooks.setSecret(webhook.id, secret, ctx.now());
  audit(ctx, { accountId: webhook.accountId, action: 'webhook.secret-rotated', target: { kind: 'webhook', id: webhook.id }, detail: {} });
  return { webhook: updated, secret };
}

/** Deletes a webhook with every delivery still waiting for it. */
export function deleteWebhook(ctx: AdminContext, webhook: Webhook): void {
  const { pending } = ctx.store.webhooks.counts(webhook.id);
  ctx.store.webhooks.remove(webhook.id);
  audit(ctx, { accountId: webhook.accountId, action: 'webhook.deleted', target: { kind: 'webhook', id: webhook.id }, detail: { host: hostOf(webhook.url), pendingDropped: pending } });
}

/** Puts a failed delivery back in its queue. */
export function retryDelivery(ctx: AdminContext, webhook: Webhook, deliveryId: string): void {
  const delivery = ctx.store.webhooks.delivery(webhook.id, deliveryId);
  if (delivery === null) throw new AppError('NOT_FOUND', 'delivery not found');
  if (delivery.status !== 'failed') throw new AppError('INVALID_TRANSITION', `only a failed delivery can be retried (this one is ${delivery.status})`);
  ctx.store.webhooks.retry(webhook.id, deliveryId, ctx.now());
  audit(ctx, { accountId: webhook.accountId, action: 'webhook.delivery-retried', target: { kind: 'webhook', id: webhook.id }, detail: { deliveryId } });
}
