import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import { removeGuestLink, rotateGuestLink } from '../../admin/guest-links.ts';
import { authorizedRoom } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

/** Options of {@link guestLinkRoutes}. */
export interface GuestLinkRoutesOptions {
  readonly admin: Administration;
}

const GuestLinkSchema = Type.Object({
  token: Type.String({ description: 'The secret; shown in this answer and never again.' }),
  path: Type.String({ description: 'The page to give guests, with the token in its fragment: `/guest.html#<token>`.' }),
});

/** `/rooms/{roomId}/guest-link`: make (or replace) and remove a room's guest link. */
export const guestLinkRoutes: FastifyPluginAsyncTypebox<GuestLinkRoutesOptions> = async (app, { admin }) => {
  app.post(
    '/rooms/:roomId/guest-link',
    {
      schema: {
        summary: "Make a new guest link for the room's Live Call Status",
        description: 'Read-only, masked numbers. The previous link stops working at once, and guest views opened with it close.',
        tags: ['rooms'],
        operationId: 'rotateGuestLink',
        params: RoomParams,
        response: { 201: GuestLinkSchema, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.settings');
      return reply.code(201).send(rotateGuestLink(adminContext(request, admin), room));
    },
  );

  app.delete(
    '/rooms/:roomId/guest-link',
    {
      schema: {
        summary: "Turn the room's guest link off",
        tags: ['rooms'],
        operationId: 'removeGuestLink',
        params: RoomParams,
        response: { 204: Type.Null({ description: 'Done.' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.settings');
      removeGuestLink(adminContext(request, admin), room);
      return reply.code(204).send(null);
    },
  );
};
