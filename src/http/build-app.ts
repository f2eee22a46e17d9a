import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { frameworkErrorHandler, installErrorHandlers } from './error-handler.ts';
import type { HttpDeps } from './http-deps.ts';
import { redactHeaders, redactRequest } from './log-redaction.ts';
import { lazyChildLoggerFactory } from './lazy-request-logger.ts';
import { DebugRequestLog } from './request-log.ts';
import { strictValidator } from './strict-validator.ts';
import { healthRoute } from './routes/health-route.ts';
import { metricsRoute } from './routes/metrics-route.ts';
import { readinessProbe } from '../observability/readiness.ts';
import { v1Routes } from './routes/v1-routes.ts';
import { webPages } from './web-pages.ts';
import type { SseStream } from './sse/sse-stream.ts';
import { StreamGuard } from './stream-guard.ts';

const DEFAULT_KEEP_ALIVE_MS = 15_000;
// How often open event streams are checked for expired sessions (revocations act at once).
const STREAM_RECHECK_MS = 30_000;

/**
 * Builds the HTTP API (REST, Server-Sent Events, OpenAPI at `/docs`) over its dependencies.
 * It configures and never listens: `main.ts` calls `listen`, tests call `inject`.
 */
export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  // The injected logger keeps its own redaction; headers and secret query parameters are scrubbed on top of it.
  // Typed as Fastify's logger interface so the app is a plain FastifyInstance for callers.
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'http' }, { serializers: { headers: redactHeaders, req: redactRequest } });
  // The root stays untyped; each route plugin brings the TypeBox type provider itself.
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // Request lines at debug: at info they cost more than a status request itself.
    logController: new DebugRequestLog(),
    // …and the request's child logger is made only when something is written.
    childLoggerFactory: lazyChildLoggerFactory,
    // Request bodies are tiny (a rename); anything bigger is a mistake or an attack.
    bodyLimit: 16 * 1024,
    // Keep-alive sockets of API clients must not hold a shutdown open.
    forceCloseConnections: 'idle',
    // Above the schemas' 128-character ids, so that the schema (not the router) names the field.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: frameworkErrorHandler,
    // Bodies are validated as sent: never coerced, unknown fields rejected (not stripped).
    schemaController: { compilersFactory: { buildValidator: strictValidator } },
  });

  installErrorHandlers(app);

  const openStreams = new Set<SseStream>();
  const guard = new StreamGuard(deps.admin, STREAM_RECHECK_MS);
  app.addHook('preClose', async () => {
    guard.stop();
    // Event streams never end by themselves; without this, close() would wait for clients.
    for (const stream of [...openStreams]) stream.close();
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'dialbridge API',
        description: 'Accounts, people, rooms, Live Call Status and host commands of the dialbridge conference server.',
        version: deps.version ?? '0.0.0',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, or the operator key.' },
          session: { type: 'apiKey', in: 'cookie', name: 'dialbridge_session', description: 'A browser session (POST /v1/session); send x-csrf-token with changes.' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = deps.metrics;
  if (metrics !== undefined) {
    app.addHook('onResponse', async (request, reply) => {
      // The route template, never the path: ids in paths would make a series per room.
      metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  const engineAvailable = deps.engineAvailable ?? (() => true);
  const readiness = deps.readiness ?? readinessProbe({ engineAvailable, databaseWritable: () => deps.admin.store.writable() });
  await app.register(healthRoute, { engineAvailable, readiness });
  if (metrics !== undefined) await app.register(metricsRoute, { admin: deps.admin, metrics });
  await webPages(app);
  await app.register(v1Routes, {
    prefix: '/v1',
    admin: deps.admin,
    live: deps.live,
    commands: deps.commands,
    dialOut: deps.dialOut,
    calls: deps.calls,
    trunkHealth: deps.trunkHealth,
    recordings: deps.recordings,
    webhooks: deps.webhooks,
    openStreams,
    keepAliveMs: deps.sseKeepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    guard,
    sessionHours: deps.sessionHours ?? 12,
    loginAttemptsPerMinute: deps.loginAttemptsPerMinute ?? 10,
    limits: deps.apiLimits,
  });
  return app;
}
