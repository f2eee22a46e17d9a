import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { ReadinessReport } from '../../observability/readiness.ts';

/** Options of {@link healthRoute}. */
export interface HealthRouteOptions {
  readonly engineAvailable: () => boolean;
  /** What `/readyz` reports. */
  readonly readiness: () => Promise<ReadinessReport>;
}

const Health = Type.Object({
  status: Type.Literal('ok'),
  engine: Type.Union([Type.Literal('available'), Type.Literal('unavailable')]),
});

const Ready = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), detail: Type.String() }), {
    description: '`engine` (can take calls), `database` (takes a write), `disk` (free space on DATA_DIR above READY_MIN_FREE_MB).',
  }),
});

/** `GET /healthz` (liveness) and `GET /readyz` (readiness), without auth. */
export const healthRoute: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, options) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check (liveness)',
        description: 'Answers 200 when the server and its media engine can take calls, 503 otherwise.',
        tags: ['health'],
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      let available: boolean;
      try {
        available = options.engineAvailable();
      } catch {
        // A failing probe means the engine cannot be trusted to take calls.
        available = false;
      }
      return reply
        .code(available ? 200 : 503)
        .send({ status: 'ok', engine: available ? 'available' : 'unavailable' });
    },
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness check',
        description:
          'Answers 200 when this server should get calls and API traffic: the media engine is available, the database takes writes, the data directory has free space above READY_MIN_FREE_MB and the server is not draining (SIGTERM); 503 with the failing checks otherwise. Use it for a load balancer\'s health check and a readiness probe; use /healthz for liveness.',
        tags: ['health'],
        security: [],
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const report = await options.readiness();
      return reply.code(report.ready ? 200 : 503).send(report);
    },
  );
};
