import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Administration } from '../../admin/administration.ts';
import { roomTarget } from '../../admin/targets.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import { decide } from '../../domain/permissions.ts';
import type { Principal } from '../../domain/principal.ts';
import { guestConference, guestEvent } from '../../domain/privacy.ts';
import type { Room } from '../../domain/room.ts';
import { AppError } from '../../lib/errors.ts';
import { projectConference, projectEvent } from '../live-projection.ts';
import { ErrorBody } from '../schemas/error-schema.ts';
import { LiveConferenceSchema } from '../schemas/live-schemas.ts';
import type { LiveProjection } from '../sse/live-frames.ts';
import { lastEventIdOf, openLiveStream } from '../sse/open-live-stream.ts';
import type { SseStream } from '../sse/sse-stream.ts';
import type { StreamGuard } from '../stream-guard.ts';

/** The cookie that holds a guest's token (HttpOnly, so the page's script never reads it back). */
export const GUEST_COOKIE = 'dialbridge_guest';
const COOKIE_PATH = '/v1/guest';

/** Options of {@link guestRoutes}. */
export interface GuestRoutesOptions {
  readonly admin: Administration;
  readonly live: LiveStatusSource;
  readonly openStreams: Set<SseStream>;
  readonly keepAliveMs: number;
  readonly guard: StreamGuard;
}

/** What a guest sees: masked by the domain's guest policy, then the published fields (shared by all guest streams). */
const GUEST_VIEW: LiveProjection = {
  conference: (c) => projectConference(guestConference(c)),
  event: (e) => {
    const shown = guestEvent(e);
    return shown === null ? null : projectEvent(shown);
  },
};

const INVALID = 'this guest link does not work (it may have been replaced by a new one): ask the host for the current link';

const GuestView = Type.Object({
  room: Type.Object({ name: Type.String() }),
  conference: Type.Union([LiveConferenceSchema, Type.Null()]),
});

function roomOfToken(admin: Administration, token: string | undefined): Room | null {
  if (token === undefined || token === '') return null;
  const roomId = admin.store.guestLinks.roomOf(token);
  return roomId === null ? null : admin.store.rooms.get(roomId);
}

/** The room the request's guest cookie opens, asked of the permission table as a guest principal. */
function guestRoom(request: FastifyRequest, admin: Administration): Room {
  const room = roomOfToken(admin, request.cookies[GUEST_COOKIE]);
  if (room === null) throw new AppError('UNAUTHORIZED', INVALID);
  const principal: Principal = { kind: 'guest', roomId: room.id };
  if (decide(principal, 'room.live', roomTarget(room)) !== 'allow') throw new AppError('UNAUTHORIZED', INVALID);
  return room;
}

/**
 * `/guest`: Live Call Status for holders of a room's guest link, read-only. The page trades
 * the token (from its URL's fragment, which browsers never send) for an HttpOnly cookie, so
 * that the secret is in no request line, log or Referer. Everything a guest sees is masked
 * in the domain (`guestConference`): numbers to their last three digits, withheld ones not at all.
 */
export const guestRoutes: FastifyPluginAsyncTypebox<GuestRoutesOptions> = async (app, options) => {
  const { admin, live, openStreams, keepAliveMs, guard } = options;

  app.post(
    '/guest/session',
    {
      schema: {
        summary: 'Open a guest view',
        description: 'Trades a guest link token for the `dialbridge_guest` cookie (HttpOnly, SameSite=Strict) that the guest routes read.',
        tags: ['guest'],
        operationId: 'openGuestView',
        security: [],
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'The cookie is set.' }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      if (roomOfToken(admin, request.body.token) === null) throw new AppError('UNAUTHORIZED', INVALID);
      void reply.setCookie(GUEST_COOKIE, request.body.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: COOKIE_PATH,
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/guest/live',
    {
      schema: {
        summary: 'Live Call Status for a guest',
        description: 'Names and states; numbers masked to their last three digits (`•••567`), withheld numbers never.',
        tags: ['guest'],
        operationId: 'getGuestLive',
        security: [],
        response: { 200: GuestView, 401: ErrorBody },
      },
    },
    async (request) => {
      const room = guestRoom(request, admin);
      const conference = live.current(room.id);
      return { room: { name: room.name }, conference: conference === null ? null : projectConference(guestConference(conference)) };
    },
  );

  app.get(
    '/guest/live/events',
    {
      exposeHeadRoute: false,
      schema: {
        summary: 'Live Call Status changes for a guest (Server-Sent Events)',
        description: 'Like `/v1/rooms/{roomId}/live/events`, masked for guests, without lockout events. Ends when the link is rotated.',
        tags: ['guest'],
        operationId: 'streamGuestLive',
        security: [],
        response: { 200: { description: 'An event stream.', content: { 'text/event-stream': { schema: Type.String() } } }, 401: ErrorBody },
      },
    },
    (request, reply) => {
      const room = guestRoom(request, admin);
      const token = request.cookies[GUEST_COOKIE] ?? '';
      openLiveStream(reply, {
        live,
        roomId: room.id,
        keepAliveMs,
        openStreams,
        log: request.log.child({ roomId: room.id, viewer: 'guest' }),
        watch: (close) => guard.watchWhile(() => admin.store.guestLinks.roomOf(token) === room.id, close),
        projection: GUEST_VIEW,
        lastEventId: lastEventIdOf(request.headers['last-event-id'], undefined),
      });
    },
  );
};
