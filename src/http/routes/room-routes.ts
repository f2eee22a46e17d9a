import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessDirectory } from '../../domain/access.ts';
import { authenticatedUser, visibleRoom } from '../auth.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { RoomListSchema, RoomParams, RoomSummarySchema } from '../schemas/room-schemas.ts';

/** Options of {@link roomRoutes}. */
export interface RoomRoutesOptions {
  readonly access: AccessDirectory;
}

/** `GET /rooms` and `GET /rooms/{roomId}`: the rooms the caller may see. */
export const roomRoutes: FastifyPluginAsyncTypebox<RoomRoutesOptions> = async (app, { access }) => {
  app.get(
    '/rooms',
    {
      schema: {
        summary: 'List the rooms you may see',
        tags: ['rooms'],
        operationId: 'listRooms',
        response: { 200: RoomListSchema, ...authErrorResponses },
      },
    },
    async (request) => ({ rooms: access.roomsVisibleTo(authenticatedUser(request)) }),
  );

  app.get(
    '/rooms/:roomId',
    {
      schema: {
        summary: 'One room',
        description: 'A room you may not see is answered 404, exactly like one that does not exist.',
        tags: ['rooms'],
        operationId: 'getRoom',
        params: RoomParams,
        response: { 200: RoomSummarySchema, ...authErrorResponses },
      },
    },
    async (request) => visibleRoom(request, access, request.params.roomId),
  );
};
