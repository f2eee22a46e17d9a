import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import { authorizedRoom } from '../authorize.ts';
import { callerOf } from '../principal-hook.ts';
import type { StreamGuard } from '../stream-guard.ts';
import { projectConference, projectEvent } from '../live-projection.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { RoomParams } from '../schemas/room-schemas.ts';
import type { LiveProjection } from '../sse/live-frames.ts';
import { lastEventIdOf, openLiveStream } from '../sse/open-live-stream.ts';
import type { SseStream } from '../sse/sse-stream.ts';

/** Options of {@link liveEventsRoute}. */
export interface LiveEventsRouteOptions {
  readonly admin: Administration;
  readonly live: LiveStatusSource;
  /** Every open stream, so that closing the app can end them. */
  readonly openStreams: Set<SseStream>;
  readonly keepAliveMs: number;
  /** Ends streams whose credential was revoked or whose caller lost access. */
  readonly guard: StreamGuard;
}

const ACTION: Action = 'room.live';

/** What everyone allowed `room.live` sees: the published fields (shared by all their streams). */
const MEMBER_VIEW: LiveProjection = { conference: projectConference, event: projectEvent };

const DESCRIPTION = [
  'A `text/event-stream` (Server-Sent Events). The first event is `snapshot` with data',
  '`{"conference": LiveConference | null}`; then one event per change, named after its type',
  '(`conference-started`, `conference-updated`, `conference-ended`, `leg-updated`, `leg-left`, `recording-started`,',
  '`recording-paused`, `recording-resumed`, `recording-stopped`, `recording-failed`,',
  '`lockout`) with the change as JSON data. Every event has an `id:` that increases with each',
  'event of the room (a decimal integer, also across restarts; the snapshot carries the id of the last',
  'change it includes). A client that reconnects with `Last-Event-ID` (or `?lastEventId=`) is sent',
  'exactly the events it missed, without a snapshot, while the server still holds them (the last 256',
  'of the room); otherwise it gets a fresh `snapshot` first. A `leg-updated` identical to the',
  "leg's previous one is never sent. `?talking=false` leaves out the events in which only a leg's",
  '`talking` changed. A `: keep-alive` comment is sent every 15 seconds.',
].join(' ');

const EventsQuery = Type.Object(
  {
    talking: Type.Optional(Type.Boolean({ default: true, description: 'false: leave out events in which only `talking` changed.' })),
    lastEventId: Type.Optional(Type.String({ maxLength: 32, description: 'Resume after this id, for clients that cannot send `Last-Event-ID`.' })),
  },
  { additionalProperties: false },
);

/** `GET /rooms/{roomId}/live/events`: the Live Call Status as a stream of changes. */
export const liveEventsRoute: FastifyPluginAsyncTypebox<LiveEventsRouteOptions> = async (app, options) => {
  const { admin, live, openStreams, keepAliveMs, guard } = options;
  app.get(
    '/rooms/:roomId/live/events',
    {
      // A HEAD request would otherwise open a stream that never sends a body.
      exposeHeadRoute: false,
      schema: {
        summary: 'Live Call Status changes (Server-Sent Events)',
        description: DESCRIPTION,
        tags: ['live'],
        operationId: 'streamLiveStatus',
        params: RoomParams,
        querystring: EventsQuery,
        response: {
          200: {
            description: 'An event stream (never ends on its own).',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...authErrorResponses,
        },
      },
    },
    (request, reply) => {
      // Authorisation runs before the stream opens, so a refusal is an ordinary JSON error.
      const room = authorizedRoom(request, admin, request.params.roomId, ACTION);
      openLiveStream(reply, {
        live,
        roomId: room.id,
        keepAliveMs,
        openStreams,
        log: request.log.child({ roomId: room.id }),
        watch: (close) => guard.watch(callerOf(request), room.id, close),
        projection: MEMBER_VIEW,
        // What the client saw last: the header wins over the query.
        lastEventId: lastEventIdOf(request.headers['last-event-id'], request.query.lastEventId),
        talking: request.query.talking,
      });
    },
  );
};
