import type { Action } from '../../domain/permissions.ts';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveEvent, LiveEventMeta, LiveStatusSource } from '../../domain/live-view.ts';
import { authorizedRoom } from '../authorize.ts';
import { callerOf } from '../principal-hook.ts';
import type { StreamGuard } from '../stream-guard.ts';
import { projectConference, projectEvent } from '../live-projection.ts';
import { authErrorResponses } from '../schemas/error-schema.ts';
import { RoomParams } from '../schemas/room-schemas.ts';
import { SseStream } from '../sse/sse-stream.ts';

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

/** A client this far behind is dropped rather than buffered for. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

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
      const log = request.log.child({ roomId: room.id });

      reply.hijack();
      const stream = new SseStream(reply.raw, { keepAliveMs, maxBufferedBytes: MAX_BUFFERED_BYTES, retryMs: 3000 });
      openStreams.add(stream);
      stream.onClose(guard.watch(callerOf(request), room.id, () => {
        log.info('live stream ended: the caller may no longer see the room');
        stream.close();
      }));
      stream.onClose(() => {
        openStreams.delete(stream);
        log.info('live stream closed');
      });
      stream.open();

      // What the client saw last (the header wins over the query); every step below runs in
      // the same tick as subscribe(), so no change can fall between the replay and the feed.
      const header = request.headers['last-event-id'];
      const lastId = (typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined) ?? request.query.lastEventId;
      const wantsTalking = request.query.talking !== false;
      const send = (event: LiveEvent, id: string, talkingOnly: boolean): void => {
        if (!wantsTalking && talkingOnly) return;
        stream.send(event.type, projectEvent(event), id);
      };
      const missed = lastId === undefined ? null : live.eventsAfter(room.id, lastId);
      if (missed === null) {
        const conference = live.current(room.id);
        stream.send('snapshot', { conference: conference === null ? null : projectConference(conference) }, live.lastEventId(room.id));
      } else {
        for (const record of missed) send(record.event, record.id, record.talkingOnly);
      }
      try {
        const unsubscribe = live.subscribe(room.id, (event: LiveEvent, meta: LiveEventMeta) => {
          try {
            send(event, meta.id, meta.talkingOnly);
          } catch (err) {
            // Never throw into the live source's emitter: drop this client instead.
            log.error({ err }, 'live event could not be sent');
            stream.close();
          }
        });
        stream.onClose(unsubscribe);
      } catch (err) {
        log.error({ err }, 'live status subscription failed');
        stream.close();
        return;
      }
      log.info({ resumed: missed !== null, replayed: missed?.length ?? 0, talking: wantsTalking }, 'live stream opened');
    },
  );
};
