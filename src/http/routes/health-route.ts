import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';

/** Options of {@link healthRoute}. */
export interface HealthRouteOptions {
  readonly engineAvailable: () => boolean;
}

const Health = Type.Object({
  status: Type.Literal('ok'),
  engine: Type.Union([Type.Literal('available'), Type.Literal('unavailable')]),
});

/** `GET /healthz`: liveness without auth; 503 while the media engine is unavailable. */
export const healthRoute: FastifyPluginAsyncTypebox<HealthRouteOptions> = async (app, options) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check',
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
};
