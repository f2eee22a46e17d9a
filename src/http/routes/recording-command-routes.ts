import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { Actor, HostCommands } from '../../flows/host-commands.ts';
import { authorizedRoom } from '../authorize.ts';
import { commandActor } from '../command-actor.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { RecordingCommandParams } from '../schemas/recording-schemas.ts';

/** Options of {@link recordingCommandRoutes}. */
export interface RecordingCommandRoutesOptions {
  readonly admin: Administration;
  readonly commands: HostCommands;
}

/** `POST /rooms/{roomId}/recording/{start|pause|resume|stop}`: the same commands as keys 7 and 8. */
export const recordingCommandRoutes: FastifyPluginAsyncTypebox<RecordingCommandRoutesOptions> = async (app, options) => {
  const { admin, commands } = options;
  app.post(
    '/rooms/:roomId/recording/:command',
    {
      schema: {
        summary: 'Start, pause, resume or stop recording the conference',
        description: [
          'Everyone on the call hears a notice, played to each alone so it is not in the recording;',
          'recording starts only after the start notice played, and resumes only after the resume notice.',
          'Answers 409 CONFERENCE_NOT_ACTIVE when no conference runs, 409 RECORDING_STATE when the',
          'command makes no sense now (start while recording, pause while paused or off, …).',
        ].join(' '),
        tags: ['commands', 'recordings'],
        operationId: 'recordingCommand',
        params: RecordingCommandParams,
        response: { 204: Type.Null({ description: 'Done.' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.control');
      const actor: Actor = commandActor(request);
      await commands.recordingCommand(room.id, request.params.command, actor);
      return reply.code(204).send(null);
    },
  );
};
