import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'dialbridge_session';

/** The header a cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for cookie sessions (the synchronizer-token pattern): a request that may
 * change something must echo the token issued at sign-in in `x-csrf-token`; another site can
 * make a browser send the cookie, but cannot read the token. `403 CSRF_INVALID` otherwise.
 */
export function checkCsrf(request: FastifyRequest, expectedHash: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const header = request.headers[CSRF_HEADER];
  const token = typeof header === 'string' ? header : '';
  const actual = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(expectedHash, 'hex');
  if (token === '' || actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AppError('CSRF_INVALID', `a signed-in request that changes something needs the session's CSRF token in ${CSRF_HEADER}`);
  }
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure when the request came over TLS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    expires: expiresAt,
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' });
}
