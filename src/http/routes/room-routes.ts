import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { createRoom, deleteRoom, setPins, updateRoom } from '../../admin/rooms.ts';
import { roomTarget, userTarget } from '../../admin/targets.ts';
import { toSummary } from '../../domain/room.ts';
import { AppError } from '../../lib/errors.ts';
import { allowed, authorize, authorizedRoom } from '../authorize.ts';
import { adminContext, principalOf } from '../principal-hook.ts';
import { PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { NewRoomBody, PinsBody, PinsSchema, RoomListSchema, RoomParams, RoomPatchBody, RoomSummarySchema } from '../schemas/room-schemas.ts';

/** Options of {@link roomRoutes}. */
export interface RoomRoutesOptions {
  readonly admin: Administration;
}

const NoContent = Type.Null({ description: 'Done.' });

/** `/rooms`: list, create, read, change, re-PIN and delete rooms. */
export const roomRoutes: FastifyPluginAsyncTypebox<RoomRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/rooms',
    {
      schema: {
        summary: 'List the rooms you may see',
        tags: ['rooms'],
        operationId: 'listRooms',
        description: 'By name. Admins see every room of the account, hosts their own, delegates those of the hosts they act for.',
        querystring: PageQuery,
        response: { 200: RoomListSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') return { items: [], nextCursor: null };
      // The owners whose rooms can be visible narrow the query; the table still decides each room.
      const owners = principal.role === 'admin' ? null : [principal.id, ...principal.actsFor];
      const page = admin.store.rooms.page(principal.accountId, owners, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
      return { items: page.items.filter((room) => allowed(request, 'room.read', roomTarget(room))).map(toSummary), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/rooms',
    {
      schema: {
        summary: 'Create a room',
        description:
          'For yourself, or (admins, delegates) for a host named by `ownerUserId`. PINs left out are generated; both PINs are in this answer and never again.',
        tags: ['rooms'],
        operationId: 'createRoom',
        body: NewRoomBody,
        response: { 201: Type.Object({ room: RoomSummarySchema, pins: PinsSchema }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const ownerUserId = request.body.ownerUserId ?? (principal.kind === 'user' ? principal.id : '');
      const owner = admin.store.users.get(ownerUserId);
      authorize(request, 'room.create-for', owner === null ? null : userTarget(admin.store, ownerUserId), 'user');
      if (owner === null) throw new AppError('NOT_FOUND', 'user not found');
      const created = createRoom(adminContext(request, admin), owner.accountId, { ...request.body, ownerUserId });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/rooms/:roomId',
    {
      schema: {
        summary: 'One room',
        description: 'A room you may not see is answered 404, exactly like one that does not exist. PINs are never shown.',
        tags: ['rooms'],
        operationId: 'getRoom',
        params: RoomParams,
        response: { 200: RoomSummarySchema, ...commandErrorResponses },
      },
    },
    async (request) => toSummary(authorizedRoom(request, admin, request.params.roomId, 'room.read')),
  );

  app.patch(
    '/rooms/:roomId',
    {
      schema: {
        summary: "Change a room's name, owner, service number or settings",
        tags: ['rooms'],
        operationId: 'updateRoom',
        params: RoomParams,
        body: RoomPatchBody,
        response: { 200: RoomSummarySchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.settings');
      const newOwner = request.body.ownerUserId;
      if (newOwner !== undefined && newOwner !== room.ownerUserId) {
        authorize(request, 'room.create-for', admin.store.users.get(newOwner) === null ? null : userTarget(admin.store, newOwner), 'user');
      }
      return updateRoom(adminContext(request, admin), room, request.body);
    },
  );

  app.put(
    '/rooms/:roomId/pins',
    {
      schema: {
        summary: "Set or regenerate a room's PINs",
        description: 'Each PIN is 4–12 digits or `generate`. The new PINs are in this answer and never again; the old ones stop working for the next caller.',
        tags: ['rooms'],
        operationId: 'setRoomPins',
        params: RoomParams,
        body: PinsBody,
        response: { 200: Type.Partial(PinsSchema), ...commandErrorResponses },
      },
    },
    async (request) => setPins(adminContext(request, admin), authorizedRoom(request, admin, request.params.roomId, 'room.settings'), request.body),
  );

  app.delete(
    '/rooms/:roomId',
    {
      schema: {
        summary: 'Delete a room and its history',
        description: '409 INVALID_TRANSITION while a conference runs in it.',
        tags: ['rooms'],
        operationId: 'deleteRoom',
        params: RoomParams,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.delete');
      deleteRoom(adminContext(request, admin), room, admin.conferences.isRunning(room.id));
      return reply.code(204).send(null);
    },
  );
};
