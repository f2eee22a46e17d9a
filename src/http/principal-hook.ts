import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Administration } from '../admin/administration.ts';
import { auditActor } from '../admin/audit-actor.ts';
import type { Authenticated } from '../admin/authenticator.ts';
import type { AdminContext } from '../admin/admin-context.ts';
import type { Principal } from '../domain/principal.ts';
import { AppError } from '../lib/errors.ts';
import { SESSION_COOKIE, checkCsrf } from './session/session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking and by what credential; set by the principal hook on every authenticated route. */
    caller: Authenticated | null;
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

const UNAUTHORIZED = 'a valid API key (Authorization: Bearer <key>) or a signed-in session is required';

/**
 * Adds an `onRequest` hook to `app` (an encapsulated plugin scope) that resolves the caller:
 * a bearer key (the operator key or a user's API key), else the session cookie. Anything else
 * is 401 `UNAUTHORIZED`, the same answer for a missing, malformed, unknown or revoked
 * credential. A request that changes something with a session cookie must carry the
 * session's CSRF token (`x-csrf-token`); bearer keys need none, since browsers never send
 * them by themselves.
 */
export function requireCaller(app: FastifyInstance, admin: Administration): void {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = bearerToken(header);
      const caller = token === null ? null : admin.auth.bearer(token);
      if (caller === null) throw new AppError('UNAUTHORIZED', UNAUTHORIZED);
      request.caller = caller;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    const session = cookie === undefined ? null : admin.auth.session(cookie, admin.now());
    if (session === null) throw new AppError('UNAUTHORIZED', UNAUTHORIZED);
    checkCsrf(request, session.csrfTokenHash);
    request.caller = { principal: session.principal, credential: session.credential };
  });
}

/** The resolved caller; a route outside the hook's scope calling this is a bug. */
export function callerOf(request: FastifyRequest): Authenticated {
  if (request.caller === null) throw new AppError('INTERNAL', 'route is not behind the principal hook');
  return request.caller;
}

/** The resolved principal. */
export function principalOf(request: FastifyRequest): Principal {
  return callerOf(request).principal;
}

/** The context for a change made by this request's caller (audited with their address). */
export function adminContext(request: FastifyRequest, admin: Administration): AdminContext {
  const { principal, credential } = callerOf(request);
  return admin.context(auditActor(principal, credential, request.ip));
}

/** A `userId` path parameter: `me` is the caller (404 for the operator, who is no user). */
export function userIdParam(request: FastifyRequest, param: string): string {
  if (param !== 'me') return param;
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new AppError('NOT_FOUND', 'the operator is not a user');
  return principal.id;
}
