import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { Actor, HostCommands, LegCommand } from '../../flows/host-commands.ts';
import { AppError } from '../../lib/errors.ts';
import { authorizedRoom } from '../authorize.ts';
import { commandActor } from '../command-actor.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { RenameBodySchema } from '../schemas/live-schemas.ts';
import { LegParams } from '../schemas/room-schemas.ts';

/** Options of {@link legCommandRoutes}. */
export interface LegCommandRoutesOptions {
  readonly admin: Administration;
  readonly commands: HostCommands;
}

const ACTION: Action = 'room.control';

const LEG_COMMANDS: readonly { command: LegCommand; summary: string; operationId: string }[] = [
  { command: 'mute', summary: 'Mute a leg', operationId: 'muteLeg' },
  { command: 'unmute', summary: 'Unmute a leg', operationId: 'unmuteLeg' },
  { command: 'hold', summary: 'Put a leg on hold (it hears music, the room does not hear it)', operationId: 'holdLeg' },
  { command: 'unhold', summary: 'Take a leg off hold', operationId: 'unholdLeg' },
  { command: 'drop', summary: 'Hang up a leg', operationId: 'dropLeg' },
  { command: 'lower-hand', summary: "Lower a leg's raised hand (it hears that it is lowered)", operationId: 'lowerHand' },
];

const NoContent = Type.Null({ description: 'Done.' });

/** `POST /rooms/{roomId}/legs/{legId}/{command}` and `PATCH /rooms/{roomId}/legs/{legId}`. */
export const legCommandRoutes: FastifyPluginAsyncTypebox<LegCommandRoutesOptions> = async (app, options) => {
  const { admin, commands } = options;

  for (const { command, summary, operationId } of LEG_COMMANDS) {
    app.post(
      `/rooms/:roomId/legs/:legId/${command}`,
      {
        schema: {
          summary,
          tags: ['commands'],
          operationId,
          params: LegParams,
          response: { 204: NoContent, ...commandErrorResponses },
        },
      },
      async (request, reply) => {
        const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
        const actor: Actor = commandActor(request);
        await commands.legCommand(room.id, request.params.legId, command, actor);
        return reply.code(204).send(null);
      },
    );
  }

  app.patch(
    '/rooms/:roomId/legs/:legId',
    {
      schema: {
        summary: 'Rename a leg',
        description: 'Sets the host-assigned name shown for the leg; surrounding spaces are trimmed.',
        tags: ['commands'],
        operationId: 'renameLeg',
        params: LegParams,
        body: RenameBodySchema,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
      const name = request.body.name.trim();
      if (name.length === 0) {
        throw new AppError('BAD_REQUEST', 'body/name must not be blank', { details: { field: 'name' } });
      }
      const actor: Actor = commandActor(request);
      await commands.rename(room.id, request.params.legId, name, actor);
      return reply.code(204).send(null);
    },
  );
};
