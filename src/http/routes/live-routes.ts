import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveConference, LiveStatusSource } from '../../domain/live-view.ts';
import { authorizedRoom } from '../authorize.ts';
import { projectConference, type LiveConferenceBody } from '../live-projection.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { LiveViewSchema } from '../schemas/live-schemas.ts';
import { RoomParams } from '../schemas/room-schemas.ts';

const ACTION: Action = 'room.live';

/** Options of {@link liveRoutes}. */
export interface LiveRoutesOptions {
  readonly admin: Administration;
  readonly live: LiveStatusSource;
}

/**
 * The live view is written with JSON.stringify rather than the schema's compiled serializer:
 * the projection (live-projection.ts) already copies exactly the published fields, and
 * fast-json-stringify checks every union in the schema (a leg's state, `conference | null`)
 * with ajv on each answer, which made it the largest cost of this route. The schema stays
 * the route's contract and its documentation. What it wrote is kept by answer object (an
 * unchanged view's answer is the same object, see below).
 */
const stringify = (): ((data: unknown) => string) => {
  const written = new WeakMap<object, string>();
  return (data) => {
    if (typeof data !== 'object' || data === null) return JSON.stringify(data);
    let text = written.get(data);
    if (text === undefined) {
      text = JSON.stringify(data);
      written.set(data, text);
    }
    return text;
  };
};

const NO_CONFERENCE = { conference: null };

/**
 * Answers by view: the live source hands out the same view object until something in it
 * changes (see flows/live-view-memo.ts), so polls between two changes get the same answer
 * object, which the route's serializer has already written once.
 */
const answers = new WeakMap<LiveConference, { conference: LiveConferenceBody }>();

function answerOf(conference: LiveConference): { conference: LiveConferenceBody } {
  let answer = answers.get(conference);
  if (answer === undefined) {
    answer = { conference: projectConference(conference) };
    answers.set(conference, answer);
  }
  return answer;
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
      serializerCompiler: stringify,
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
      const conference = live.current(room.id);
      return conference === null ? NO_CONFERENCE : answerOf(conference);
    },
  );
};
