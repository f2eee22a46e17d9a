import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveLeg } from '../../domain/live-view.ts';
import type { RoomDialOut } from '../../flows/dial-out/dial-out-service.ts';
import { AppError } from '../../lib/errors.ts';
import { authorizedRoom } from '../authorize.ts';
import { commandActor } from '../command-actor.ts';
import { IdempotencyCache } from '../idempotency.ts';
import { principalOf } from '../principal-hook.ts';
import { commandErrorResponses, ErrorBody } from '../schemas/error-schema.ts';
import { LiveLegSchema } from '../schemas/live-schemas.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

/** Options of {@link dialRoutes}. */
export interface DialRoutesOptions {
  readonly admin: Administration;
  /** Absent when the server runs without calls (HTTP-only tests): the routes answer 503. */
  readonly dialOut: RoomDialOut | undefined;
}

const DialBody = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 40, description: 'International (+44 20 7946 0018, 0044…) or national in the trunk\'s country.' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The name live status shows for the guest.' })),
    role: Type.Optional(Type.Union([Type.Literal('participant'), Type.Literal('host')])),
  },
  { additionalProperties: false },
);

function service(dialOut: RoomDialOut | undefined): RoomDialOut {
  if (dialOut === undefined) throw new AppError('ENGINE_UNAVAILABLE', 'this server does not place calls');
  return dialOut;
}

/** `POST /rooms/{roomId}/dial` and `DELETE /rooms/{roomId}/dial/{legId}`: bring someone in by calling them, or stop trying. */
export const dialRoutes: FastifyPluginAsyncTypebox<DialRoutesOptions> = async (app, { admin, dialOut }) => {
  const idempotency = new IdempotencyCache<LiveLeg>();

  app.post(
    '/rooms/:roomId/dial',
    {
      schema: {
        summary: 'Dial someone into the room',
        description:
          'Normalises the number, checks the dial policy (refusals send no SIP: DIAL_REFUSED_DESTINATION, DIAL_REFUSED_NUMBER_TYPE, DIAL_LIMIT_CONCURRENT, DIAL_LIMIT_RATE, DIAL_SLOWED) and dials through the account\'s trunk. Answers 201 with the new leg in `dialing`; live status then shows `ringing`, `in-ivr` (the guest is asked to press 1), `joined`, or `failed` and `leg-left` with the reason. Send `Idempotency-Key` to make a retry safe.',
        tags: ['dial-out'],
        operationId: 'dialOut',
        params: RoomParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        body: DialBody,
        response: { 201: LiveLegSchema, ...commandErrorResponses, 429: ErrorBody, 502: ErrorBody },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.dial');
      const principal = principalOf(request);
      const key = idempotency.keyOf(request, principal.kind === 'user' ? principal.id : principal.kind);
      const replay = key === null ? null : idempotency.get(key, Date.now());
      if (replay !== null) return reply.code(201).send(replay);
      const leg = await service(dialOut).dial(room.id, request.body, commandActor(request));
      if (key !== null) idempotency.put(key, leg, Date.now());
      return reply.code(201).send(leg);
    },
  );

  app.delete(
    '/rooms/:roomId/dial/:legId',
    {
      schema: {
        summary: 'Cancel a dial in progress',
        description: 'CANCELs a ringing dial, or hangs up a guest still being asked to press 1. 404 when the leg is not a dial in progress (joined legs are dropped with POST …/legs/{legId}/drop).',
        tags: ['dial-out'],
        operationId: 'cancelDial',
        params: Type.Object({ ...RoomParams.properties, legId: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 204: Type.Null({ description: 'Cancelled.' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.dial');
      await service(dialOut).cancel(room.id, request.params.legId, commandActor(request));
      return reply.code(204).send(null);
    },
  );
};
