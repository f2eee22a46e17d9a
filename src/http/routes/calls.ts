import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import { userTarget } from '../../admin/targets.ts';
import type { ClickToCall } from '../../flows/click-to-call/click-to-call.ts';
import type { ClickToCallView } from '../../flows/click-to-call/click-to-call-view.ts';
import { AppError } from '../../lib/errors.ts';
import { authorize } from '../authorize.ts';
import { commandActor } from '../command-actor.ts';
import { IdempotencyCache } from '../idempotency.ts';
import { principalOf } from '../principal-hook.ts';
import { commandErrorResponses, ErrorBody } from '../schemas/error-schema.ts';

/** Options of {@link callRoutes}. */
export interface CallRoutesOptions {
  readonly admin: Administration;
  /** Absent when the server places no calls: the routes answer 503. */
  readonly calls: ClickToCall | undefined;
}

const Side = Type.Object({
  side: Type.Union([Type.Literal('host'), Type.Literal('contact')]),
  number: Type.String(),
  legId: Type.String(),
  state: Type.Union([
    Type.Literal('waiting'), Type.Literal('dialing'), Type.Literal('ringing'), Type.Literal('answered'), Type.Literal('connected'), Type.Literal('ended'), Type.Literal('failed'),
  ]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
const CallSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([Type.Literal('calling-host'), Type.Literal('calling-contact'), Type.Literal('connected'), Type.Literal('ended')]),
  legs: Type.Array(Side),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  endedReason: Type.Union([Type.String(), Type.Null()]),
});
const CallBody = Type.Object(
  {
    to: Type.String({ minLength: 1, maxLength: 40, description: 'Whom to call: international, or national in the trunk\'s country.' }),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Which of your profile\'s phone numbers rings first (default the first).' })),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 128 }) });

/** The signed-in user: only they may ring their own phone. */
function self(request: Parameters<typeof principalOf>[0], admin: Administration): { id: string; accountId: string; role: 'admin' | 'host' | 'delegate'; actsFor: readonly string[] } {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'click-to-call rings a user\'s own phone: sign in as that user');
  authorize(request, 'call.create', userTarget(admin.store, principal.id), 'user');
  return principal;
}

function service(calls: ClickToCall | undefined): ClickToCall {
  if (calls === undefined) throw new AppError('ENGINE_UNAVAILABLE', 'this server does not place calls');
  return calls;
}

/** `/calls`: click-to-call — your own phone rings first, then the person you call, bridged. */
export const callRoutes: FastifyPluginAsyncTypebox<CallRoutesOptions> = async (app, { admin, calls }) => {
  const idempotency = new IdempotencyCache<ClickToCallView>();
  app.post(
    '/calls',
    {
      schema: {
        summary: 'Click-to-call',
        description:
          'Rings a phone number on your profile first; when you answer you hear "Calling" and the number, then the service dials `to` and bridges the two. Both legs pass the dial policy (refusals send no SIP) and are audited. Either side hanging up ends the call. Send `Idempotency-Key` to make a retry safe.',
        tags: ['dial-out'],
        operationId: 'createCall',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        body: CallBody,
        response: { 201: CallSchema, ...commandErrorResponses, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = self(request, admin);
      const key = idempotency.keyOf(request, user.id);
      const replay = key === null ? null : idempotency.get(key, Date.now());
      if (replay !== null) return reply.code(201).send(replay);
      const call = service(calls).create({ kind: 'user', ...user }, request.body, commandActor(request));
      if (key !== null) idempotency.put(key, call, Date.now());
      return reply.code(201).send(call);
    },
  );
  app.get(
    '/calls/:callId',
    { schema: { summary: 'A click-to-call and both its legs', tags: ['dial-out'], operationId: 'getCall', params: Params, response: { 200: CallSchema, ...commandErrorResponses } } },
    async (request) => service(calls).get(request.params.callId, self(request, admin).id),
  );
  app.delete(
    '/calls/:callId',
    { schema: { summary: 'Cancel or hang up a click-to-call', tags: ['dial-out'], operationId: 'cancelCall', params: Params, response: { 204: Type.Null({ description: 'Ended.' }), ...commandErrorResponses } } },
    async (request, reply) => {
      await service(calls).cancel(request.params.callId, self(request, admin).id);
      return reply.code(204).send(null);
    },
  );
};
