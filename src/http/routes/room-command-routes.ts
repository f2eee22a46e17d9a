import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { Actor, HostCommands, RoomCommand } from '../../flows/host-commands.ts';
import { authorizedRoom } from '../authorize.ts';
import { commandActor } from '../command-actor.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

/** Options of {@link roomCommandRoutes}. */
export interface RoomCommandRoutesOptions {
  readonly admin: Administration;
  readonly commands: HostCommands;
}

const ACTION: Action = 'room.control';

const ROOM_COMMANDS: readonly { command: RoomCommand; summary: string; operationId: string }[] = [
  { command: 'lock', summary: 'Lock the conference (nobody else may join)', operationId: 'lockRoom' },
  { command: 'unlock', summary: 'Unlock the conference', operationId: 'unlockRoom' },
  { command: 'mute-all', summary: 'Mute every participant', operationId: 'muteAll' },
  { command: 'unmute-all', summary: 'Unmute every participant', operationId: 'unmuteAll' },
  { command: 'end', summary: 'End the conference and hang up every leg', operationId: 'endConference' },
];

const NoContent = Type.Null({ description: 'Done.' });

/** `POST /rooms/{roomId}/{command}`: commands on the room's running conference. */
export const roomCommandRoutes: FastifyPluginAsyncTypebox<RoomCommandRoutesOptions> = async (app, options) => {
  const { admin, commands } = options;
  for (const { command, summary, operationId } of ROOM_COMMANDS) {
    app.post(
      `/rooms/:roomId/${command}`,
      {
        schema: {
          summary,
          description: 'Answers 409 CONFERENCE_NOT_ACTIVE when no conference runs in the room.',
          tags: ['commands'],
          operationId,
          params: RoomParams,
          response: { 204: NoContent, ...commandErrorResponses },
        },
      },
      async (request, reply) => {
        const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
        const actor: Actor = commandActor(request);
        await commands.roomCommand(room.id, command, actor);
        return reply.code(204).send(null);
      },
    );
  }
};
