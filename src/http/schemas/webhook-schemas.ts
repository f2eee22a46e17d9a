import { Type } from 'typebox';
import { LIVE_EVENT_TYPE_NAMES } from '../../domain/live-event-types.ts';

const strict = { additionalProperties: false } as const;

const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'Where events are POSTed: http(s), no credentials; loopback and private addresses are refused unless the operator allows them.' });
const Events = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 64,
  description: `Event names (${LIVE_EVENT_TYPE_NAMES.join(', ')}), "prefix.*" (e.g. "leg.*") or "*" for all. leg.talking is sent only when named. Default ["*"].`,
});
const Description = Type.Union([Type.String({ maxLength: 256 }), Type.Null()]);

/** A webhook as the API shows it (never its secret). */
export const WebhookSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  secretHint: Type.String({ description: 'The last four characters of the secret.' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  deliveries: Type.Object({
    pending: Type.Integer({ description: 'Deliveries waiting (first attempt or a retry).' }),
    failed: Type.Integer({ description: 'Deliveries given up after 24 hours of retries.' }),
  }),
  circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')], {
    description: 'open: the endpoint failed repeatedly and gets no attempts for a while; half-open: one trial attempt is allowed.',
  }),
});

/** A delivery (one event to one webhook). */
export const DeliverySchema = Type.Object({
  id: Type.String(),
  webhookId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** The body of `POST /webhooks`. */
export const NewWebhookBody = Type.Object(
  {
    url: Url,
    events: Type.Optional(Events),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    description: Type.Optional(Description),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "Default: the caller's account." })),
  },
  strict,
);

/** The body of `PATCH /webhooks/{webhookId}`. */
export const WebhookPatchBody = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), enabled: Type.Optional(Type.Boolean()), description: Type.Optional(Description) },
  strict,
);

/** The answer of the test-delivery route. */
export const TestDeliverySchema = Type.Object({
  delivered: Type.Boolean(),
  status: Type.Union([Type.Integer(), Type.Null()], { description: "The endpoint's HTTP status; null when it gave none." }),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  eventId: Type.String(),
});
