import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { accountTarget } from '../../admin/targets.ts';
import { createWebhook, deleteWebhook, retryDelivery, rotateWebhookSecret, updateWebhook } from '../../admin/webhooks.ts';
import { decide } from '../../domain/permissions.ts';
import type { Webhook } from '../../domain/webhook.ts';
import { AppError } from '../../lib/errors.ts';
import type { WebhookControl } from '../../notify/webhooks/webhook-service.ts';
import { authorize } from '../authorize.ts';
import { adminContext, principalOf } from '../principal-hook.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { DeliverySchema, NewWebhookBody, TestDeliverySchema, WebhookPatchBody, WebhookSchema } from '../schemas/webhook-schemas.ts';

/** Options of {@link webhookRoutes}. */
export interface WebhookRoutesOptions {
  readonly admin: Administration;
  readonly webhooks: WebhookControl;
}

const WebhookParams = Type.Object({ webhookId: Id });
const DeliveryParams = Type.Object({ webhookId: Id, deliveryId: Id });
const NoContent = Type.Null({ description: 'Done.' });
const TAGS = ['webhooks'];

/** The account a list or a new webhook is for: the one named, else the caller's own. */
function accountOf(request: FastifyRequest, named: string | undefined): string {
  if (named !== undefined) return named;
  const principal = principalOf(request);
  return principal.kind === 'user' ? principal.accountId : '';
}

/** `/webhooks`: an account's admins say where its live events are sent (docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRoutesOptions> = async (app, { admin, webhooks }) => {
  const policy = { allowPrivate: webhooks.allowPrivate };

  /** The webhook if the caller may manage it: 404 for another account's (as for none), 403 for a member who is no admin. */
  const authorizedWebhook = (request: FastifyRequest, webhookId: string): Webhook => {
    const webhook = admin.store.webhooks.get(webhookId);
    const decision = webhook === null ? 'not-found' : decide(principalOf(request), 'webhook.manage', accountTarget(webhook.accountId));
    if (decision === 'not-found' || webhook === null) throw new AppError('NOT_FOUND', 'webhook not found');
    if (decision === 'forbidden') throw new AppError('FORBIDDEN', 'you may not do this (webhook.manage)', { details: { action: 'webhook.manage' } });
    return webhook;
  };
  const view = (webhook: Webhook): Omit<Webhook, 'events'> & { events: string[]; deliveries: { pending: number; failed: number }; circuit: 'closed' | 'open' | 'half-open' } => ({
    ...webhook,
    events: [...webhook.events],
    deliveries: admin.store.webhooks.counts(webhook.id),
    circuit: webhooks.circuitState(webhook.id),
  });

  app.post(
    '/webhooks',
    {
      schema: {
        summary: 'Add a webhook',
        description: 'Answers the webhook and its signing secret, shown this once. Events are POSTed as JSON, signed with `Dialbridge-Signature: t=…,v1=…`.',
        tags: TAGS,
        operationId: 'createWebhook',
        body: NewWebhookBody,
        response: { 201: Type.Object({ webhook: WebhookSchema, secret: Type.String() }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const { accountId: named, ...input } = request.body;
      const accountId = accountOf(request, named);
      authorize(request, 'webhook.manage', admin.store.accounts.get(accountId) === null ? null : accountTarget(accountId), 'account');
      const created = await createWebhook(adminContext(request, admin), accountId, input, policy);
      webhooks.changed(created.webhook.id);
      return reply.code(201).send({ webhook: view(created.webhook), secret: created.secret });
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        summary: "List an account's webhooks",
        tags: TAGS,
        operationId: 'listWebhooks',
        querystring: Type.Object({ ...PageQuery.properties, accountId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: PageOf(WebhookSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const accountId = accountOf(request, request.query.accountId);
      authorize(request, 'webhook.manage', admin.store.accounts.get(accountId) === null ? null : accountTarget(accountId), 'account');
      const page = admin.store.webhooks.list(accountId, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/webhooks/:webhookId',
    { schema: { summary: 'One webhook', tags: TAGS, operationId: 'getWebhook', params: WebhookParams, response: { 200: WebhookSchema, ...commandErrorResponses } } },
    async (request) => view(authorizedWebhook(request, request.params.webhookId)),
  );

  app.patch(
    '/webhooks/:webhookId',
    {
      schema: {
        summary: 'Change a webhook (URL, events, description, enabled)',
        description: 'A disabled webhook gets no new events; what was waiting for it waits until it is enabled again.',
        tags: TAGS,
        operationId: 'updateWebhook',
        params: WebhookParams,
        body: WebhookPatchBody,
        response: { 200: WebhookSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const webhook = authorizedWebhook(request, request.params.webhookId);
      const updated = await updateWebhook(adminContext(request, admin), webhook, request.body, policy);
      webhooks.changed(updated.id);
      return view(updated);
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    {
      schema: { summary: 'Delete a webhook (and what still waits for it)', tags: TAGS, operationId: 'deleteWebhook', params: WebhookParams, response: { 204: NoContent, ...commandErrorResponses } },
    },
    async (request, reply) => {
      const webhook = authorizedWebhook(request, request.params.webhookId);
      deleteWebhook(adminContext(request, admin), webhook);
      webhooks.changed(webhook.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhooks/:webhookId/rotate-secret',
    {
      schema: {
        summary: 'Replace the signing secret',
        description: 'The new secret is in the answer this once; every delivery from now on is signed with it.',
        tags: TAGS,
        operationId: 'rotateWebhookSecret',
        params: WebhookParams,
        response: { 200: Type.Object({ webhook: WebhookSchema, secret: Type.String() }), ...commandErrorResponses },
      },
    },
    async (request) => {
      const rotated = rotateWebhookSecret(adminContext(request, admin), authorizedWebhook(request, request.params.webhookId));
      webhooks.changed(rotated.webhook.id);
      return { webhook: view(rotated.webhook), secret: rotated.secret };
    },
  );

  app.post(
    '/webhooks/:webhookId/test',
    {
      schema: {
        summary: 'Send a test event now',
        description: 'POSTs a signed `webhook.test` event to the webhook at once (not through the outbox, enabled or not) and answers what the endpoint said.',
        tags: TAGS,
        operationId: 'testWebhook',
        params: WebhookParams,
        response: { 200: TestDeliverySchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const webhook = authorizedWebhook(request, request.params.webhookId);
      const result = await webhooks.testDelivery(webhook.id);
      return { delivered: result.ok, status: result.status, error: result.error, durationMs: result.durationMs, eventId: result.eventId };
    },
  );

  app.get(
    '/webhooks/:webhookId/deliveries',
    {
      schema: {
        summary: "A webhook's deliveries, newest first",
        description: '`status=failed` lists what was given up after 24 hours of retries.',
        tags: TAGS,
        operationId: 'listWebhookDeliveries',
        params: WebhookParams,
        querystring: Type.Object(
          { ...PageQuery.properties, status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])) },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(DeliverySchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const webhook = authorizedWebhook(request, request.params.webhookId);
      return admin.store.webhooks.deliveries(webhook.id, request.query.status, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    },
  );

  app.post(
    '/webhooks/:webhookId/deliveries/:deliveryId/retry',
    {
      schema: {
        summary: 'Retry a failed delivery',
        description: 'Puts it back in its queue, due now, with another 24 hours of retries.',
        tags: TAGS,
        operationId: 'retryWebhookDelivery',
        params: DeliveryParams,
        response: { 200: DeliverySchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const webhook = authorizedWebhook(request, request.params.webhookId);
      retryDelivery(adminContext(request, admin), webhook, request.params.deliveryId);
      webhooks.changed(webhook.id);
      const delivery = admin.store.webhooks.delivery(webhook.id, request.params.deliveryId);
      if (delivery === null) throw new AppError('NOT_FOUND', 'delivery not found');
      return delivery;
    },
  );
};
