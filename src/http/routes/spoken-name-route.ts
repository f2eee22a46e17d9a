import { createReadStream, statSync } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { AppError } from '../../lib/errors.ts';
import { authorizedRoom } from '../authorize.ts';
import { Id } from '../schemas/admin-schemas.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link spokenNameRoute}. */
export interface SpokenNameRouteOptions {
  readonly admin: Administration;
}

/** The size of the clip's file, or null when it is gone (deleted with its conference). */
function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/**
 * `GET /rooms/{roomId}/legs/{legId}/spoken-name`: the name a caller recorded at join, for
 * those who may control the room (`room.control`: admins, the host, their delegates). Gone
 * (404) once the conference ended, unless the account keeps clips with the history.
 */
export const spokenNameRoute: FastifyPluginAsyncTypebox<SpokenNameRouteOptions> = async (app, { admin }) => {
  app.get(
    '/rooms/:roomId/legs/:legId/spoken-name',
    {
      schema: {
        summary: "Play a leg's recorded name (WAV)",
        tags: ['live'],
        operationId: 'getSpokenName',
        params: Type.Object({ roomId: Id, legId: Id }),
        response: { 200: { description: 'The WAV clip.', content: { 'audio/wav': { schema: Type.String({ format: 'binary' }) } } }, ...authErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.control');
      const leg = admin.store.legs.get(request.params.legId);
      const path = leg?.roomId === room.id ? leg.names.spokenClipPath : null;
      const size = path === null ? null : sizeOf(path);
      if (path === null || size === null) throw new AppError('NOT_FOUND', 'no spoken name for this leg');
      return reply
        .header('content-type', 'audio/wav')
        .header('content-length', String(size))
        .header('content-disposition', `inline; filename="spoken-name-${request.params.legId}.wav"`)
        .code(200)
        .send(createReadStream(path));
    },
  );
};
