import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessDirectory } from '../../domain/access.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import { visibleRoom } from '../auth.ts';
import { projectConference } from '../live-projection.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { LiveViewSchema } from '../schemas/live-schemas.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

/** Options of {@link liveRoutes}. */
export interface LiveRoutesOptions {
  readonly access: AccessDirectory;
  readonly live: LiveStatusSource;
}

/** `GET /rooms/{roomId}/live`: the Live Call Status of the room's running conference. */
export const liveRoutes: FastifyPluginAsyncTypebox<LiveRoutesOptions> = async (app, { access, live }) => {
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
      const room = visibleRoom(request, access, request.params.roomId);
      const conference = live.current(room.id);
      return { conference: conference === null ? null : projectConference(conference) };
    },
  );
};
