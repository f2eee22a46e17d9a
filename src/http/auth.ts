import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessDirectory, RoomSummary, User } from '../domain/access.ts';
import { AppError } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated API user; set by the auth hook on every `/v1` route. */
    user: User | null;
  }
}

// RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme name is case-insensitive
// (RFC 9110 §11.1). Keys are opaque to us, so only their length and charset are bounded.
const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]{1,512}=*)[ \t]*$/i;

/** The bearer token in an Authorization header, or null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = BEARER.exec(header);
  return match?.[1] ?? null;
}

/**
 * Adds an `onRequest` hook to `app` (an encapsulated plugin scope) that resolves the API key
 * to a user or answers 401 `UNAUTHORIZED`; the same answer for a missing, malformed or
 * unknown key, so the response never tells which.
 */
export function requireApiKey(app: FastifyInstance, access: AccessDirectory): void {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    const user = token === null ? null : access.userForApiKey(token);
    if (user === null) {
      throw new AppError('UNAUTHORIZED', 'a valid API key is required (Authorization: Bearer <key>)');
    }
    request.user = user;
  });
}

/** The user the auth hook resolved; a route outside the hook's scope calling this is a bug. */
export function authenticatedUser(request: FastifyRequest): User {
  if (request.user === null) throw new AppError('INTERNAL', 'route is not behind the API-key hook');
  return request.user;
}

/**
 * The room if the request's user may see it; otherwise `NOT_FOUND`, worded the same whether
 * the room exists or not, so that a room's existence never leaks.
 */
export function visibleRoom(request: FastifyRequest, access: AccessDirectory, roomId: string): RoomSummary {
  const room = access.roomVisibleTo(authenticatedUser(request), roomId);
  if (room === null) throw new AppError('NOT_FOUND', 'room not found');
  return room;
}
