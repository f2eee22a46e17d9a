import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { AuthFailureCounter } from './auth-failure-counter.ts';

/** The limits of {@link apiGuard}. */
export interface ApiLimits {
  /** Requests per minute from one source address. */
  readonly perSourcePerMinute: number;
  /** Requests per minute with one credential (API key or session), from anywhere. */
  readonly perKeyPerMinute: number;
  /** Failed authentications per minute from one address before it is answered 429 only. */
  readonly authFailuresPerMinute: number;
}

/** The session cookie's name (as principal-hook.ts reads it). */
const SESSION_COOKIE = 'dialbridge_session';
/** Failed authentications an address may make before its requests are slowed. */
const FREE_FAILURES = 3;
/** Each failure beyond the free ones delays that address's next requests by this much more… */
const DELAY_STEP_MS = 100;
/** …up to this. */
const MAX_DELAY_MS = 2_000;

type Limiter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

function tooMany(reply: FastifyReply, seconds: number, what: string): AppError {
  void reply.header('retry-after', String(Math.max(1, seconds)));
  return new AppError('RATE_LIMITED', `too many ${what}: try again in ${String(Math.max(1, seconds))} s`);
}

/** Each request's credential key, worked out once (the limiter's key and the check both ask). */
const credentialKeys = new WeakMap<FastifyRequest, string | null>();

/** The credential a request carries, hashed (the limiter never holds a secret), or null. */
function credentialKey(request: FastifyRequest): string | null {
  const known = credentialKeys.get(request);
  if (known !== undefined) return known;
  const key = hashedCredential(request);
  credentialKeys.set(request, key);
  return key;
}

function hashedCredential(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  const secret = header ?? (cookie === undefined ? undefined : `cookie:${cookie}`);
  return secret === undefined ? null : createHash('sha256').update(secret).digest('base64url');
}

async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply, what: string): Promise<void> {
  const verdict = await limiter(request);
  if (verdict.isAllowed || !verdict.isExceeded) return;
  throw tooMany(reply, verdict.ttlInSeconds, what);
}

/**
 * API protection on `app` (the `/v1` scope), before any credential is looked at: requests
 * are limited per source address and per credential (`@fastify/rate-limit`, 429 with
 * Retry-After), and failed authentications (401) are counted per address — past a few, that
 * address's requests are delayed a little more with each failure, and past the limit it is
 * answered 429 until its window resets. A valid key used from another address is unaffected.
 */
export async function apiGuard(app: FastifyInstance, limits: ApiLimits): Promise<void> {
  await app.register(rateLimit, { global: false });
  const perSource = app.createRateLimit({ max: limits.perSourcePerMinute, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}` }) as Limiter;
  const perKey = app.createRateLimit({ max: limits.perKeyPerMinute, timeWindow: 60_000, keyGenerator: (req) => `key:${credentialKey(req) ?? ''}` }) as Limiter;
  const failures = new AuthFailureCounter(60_000);

  app.addHook('onRequest', async (request, reply) => {
    const failed = failures.failures(request.ip);
    if (failed.count >= limits.authFailuresPerMinute) throw tooMany(reply, failed.resetsInSeconds, 'failed authentications');
    await enforce(perSource, request, reply, 'requests from this address');
    if (credentialKey(request) !== null) await enforce(perKey, request, reply, 'requests with this credential');
    const over = failed.count - FREE_FAILURES;
    if (over > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(over * DELAY_STEP_MS, MAX_DELAY_MS)));
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) failures.failed(request.ip);
  });
}
