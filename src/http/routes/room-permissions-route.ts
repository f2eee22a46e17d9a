import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import { roomTarget } from '../../admin/targets.ts';
import type { Action } from '../../domain/permissions.ts';
import type { Target } from '../../domain/principal.ts';
import { allowed, authorizedRoom } from '../authorize.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

/** Options of {@link roomPermissionsRoute}. */
export interface RoomPermissionsRouteOptions {
  readonly admin: Administration;
}

/** The actions on a room (and its recordings) a client may want to show or hide controls for. */
const ROOM_ACTIONS: readonly Action[] = ['room.read', 'room.live', 'room.control', 'room.settings', 'room.delete', 'room.history'];
const RECORDING_ACTIONS: readonly Action[] = ['recording.list', 'recording.download', 'recording.delete'];

/**
 * `GET /rooms/{roomId}/permissions`: what the caller may do in the room, as the permission
 * table decides it, so that a page shows only the controls that will work. The server still
 * decides every command on its own; this is a courtesy to the page, not a check.
 */
export const roomPermissionsRoute: FastifyPluginAsyncTypebox<RoomPermissionsRouteOptions> = async (app, { admin }) => {
  app.get(
    '/rooms/:roomId/permissions',
    {
      schema: {
        summary: 'What you may do in a room',
        description: "The room's actions (and its recordings') the permission table allows the caller.",
        tags: ['rooms'],
        operationId: 'getRoomPermissions',
        params: RoomParams,
        response: { 200: Type.Object({ actions: Type.Array(Type.String()) }), ...commandErrorResponses },
      },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.live');
      const target = roomTarget(room);
      const recording: Target = { kind: 'recording', accountId: room.accountId, roomId: room.id, ownerUserId: room.ownerUserId };
      const actions = [...ROOM_ACTIONS.filter((a) => allowed(request, a, target)), ...RECORDING_ACTIONS.filter((a) => allowed(request, a, recording))];
      return { actions };
    },
  );
};
