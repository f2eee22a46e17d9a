import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../lib/errors.ts';

/** Methods that may carry a request body. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface KnownRoute {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/v1/rooms/:roomId/legs/:legId` → a RegExp matching concrete paths of it. */
function patternOf(url: string): RegExp {
  const parts = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    // A parameter (optionally with a regexp, `:id(^\\d+)`) is one path segment.
    return segment.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, '\u0000').split('\u0000').map(escapeRegExp).join('[^/]+');
  });
  return new RegExp(`^${parts.join('/')}/?$`);
}

/** Whether the request carries a body beyond an empty JSON object. */
function hasBody(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return false;
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) && Object.keys(body).length === 0) return false;
  return true;
}

/**
 * Strictness every route inherits, installed on the root instance before any route:
 *
 * - a route that declares no body schema rejects a request that sends one (`BAD_REQUEST`;
 *   an empty body or `{}` is no body), so a command cannot be given arguments it ignores;
 * - a path that exists with other methods answers `405 METHOD_NOT_ALLOWED` with `Allow`
 *   listing them, instead of 404 — see {@link allowedMethods}, used by the not-found handler.
 */
export function installStrictRoutes(app: FastifyInstance): (path: string) => string[] {
  const known = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = known.get(route.url);
    if (entry === undefined) {
      entry = { pattern: patternOf(route.url), methods: new Set() };
      known.set(route.url, entry);
    }
    for (const m of methods) entry.methods.add(m.toUpperCase());
    const takesBody = route.schema?.body !== undefined;
    if (takesBody || !methods.some((m) => BODY_METHODS.has(m.toUpperCase()))) return;
    const rejectBody = async (request: FastifyRequest): Promise<void> => {
      if (hasBody(request.body)) throw new AppError('BAD_REQUEST', 'body: this route takes no request body', { details: { field: 'body' } });
    };
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [rejectBody] : [rejectBody, ...(Array.isArray(existing) ? existing : [existing])];
  });
  return (path: string): string[] => {
    const methods = new Set<string>();
    for (const entry of known.values()) if (entry.pattern.test(path)) for (const m of entry.methods) methods.add(m);
    return [...methods].sort();
  };
}
