import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import { authorizedRoom } from '../authorize.ts';
import { projectConference } from '../live-projection.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { LiveViewSchema } from '../schemas/live-schemas.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

const ACTION: Action = 'room.live';

/** Options of {@link liveRoutes}. */
export interface LiveRoutesOptions {
  readonly admin: Administration;
  readonly live: LiveStatusSource;
}

/** `GET /rooms/{roomId}/live`: the Live Call Status of the room's running conference. */
export const liveRoutes: FastifyPluginAsyncTypebox<LiveRoutesOptions> = async (app, { admin, live }) => {
  app.get(
    '/rooms/:roomId/live',
    {
      schema: {
        summary: 'Live Call Status',
        description: 'The running conference with its legs, or `conference: null` when none runs.',
        tags: ['live'],
        operationId: 'getLiveStatus',
        params: RoomParams,
        response: { 200: LiveViewSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
      const conference = live.current(room.id);
      return { conference: conference === null ? null : projectConference(conference) };
    },
  );
};
