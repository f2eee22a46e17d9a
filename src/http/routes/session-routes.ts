import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Administration } from '../../admin/administration.ts';
import { signIn } from '../../admin/sign-in.ts';
import { AppError } from '../../lib/errors.ts';
import { ErrorBody } from '../schemas/error-schema.ts';
import { SessionSchema, SignInBody } from '../schemas/session-schemas.ts';
import { setSessionCookie } from '../session/session-cookie.ts';

/** Options of {@link signInRoute}. */
export interface SignInRouteOptions {
  readonly admin: Administration;
  readonly sessionHours: number;
  readonly attemptsPerMinute: number;
}

// `isAllowed` means "on the allow-list" (never counted); `isExceeded` is the verdict.
type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = await limiter(request);
  if (verdict.isAllowed || !verdict.isExceeded) return;
  void reply.header('retry-after', String(verdict.ttlInSeconds));
  throw new AppError('RATE_LIMITED', `too many sign-in attempts: try again in ${verdict.ttlInSeconds} s`);
}

/**
 * `POST /session`: signs in with email and password. Outside the principal hook (it is how
 * a browser gets a principal). Limited per source address and per email, so that neither
 * one address guessing many accounts nor many addresses guessing one account get far.
 */
export const signInRoute: FastifyPluginAsyncTypebox<SignInRouteOptions> = async (app, { admin, sessionHours, attemptsPerMinute }) => {
  await app.register(rateLimit, { global: false });
  const perSource = app.createRateLimit({ max: attemptsPerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}` }) as Limiter;
  const perEmail = app.createRateLimit({
    max: attemptsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return `email:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
  }) as Limiter;

  app.post(
    '/session',
    {
      schema: {
        summary: 'Sign in',
        description:
          'Sets the `dialbridge_session` cookie (HttpOnly, SameSite=Strict) and answers the CSRF token that requests changing something with the cookie must send as `x-csrf-token`. A wrong password and an unknown email answer alike.',
        tags: ['session'],
        operationId: 'signIn',
        security: [],
        body: SignInBody,
        response: { 200: SessionSchema, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
      preHandler: async (request, reply) => {
        await enforce(perSource, request, reply);
        await enforce(perEmail, request, reply);
      },
    },
    async (request, reply) => {
      const signedIn = await signIn(admin, { email: request.body.email, password: request.body.password, sourceAddress: request.ip, sessionHours });
      setSessionCookie(request, reply, signedIn.token, signedIn.expiresAt);
      return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt.toISOString() };
    },
  );
};
