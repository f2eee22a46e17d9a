import type { FastifyPluginAsync } from 'fastify';
import type { Administration } from '../../admin/administration.ts';
import { AppError } from '../../lib/errors.ts';
import { bearerToken } from '../principal-hook.ts';

/** What `/metrics` serves. */
export interface MetricsText {
  /** The Prometheus text exposition. */
  text(): Promise<string>;
}

/** The content type of the Prometheus text format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Options of {@link metricsRoute}. */
export interface MetricsRouteOptions {
  readonly admin: Administration;
  readonly metrics: MetricsText;
}

/**
 * `GET /metrics` on the API: Prometheus text for the operator only (`Authorization: Bearer
 * <operator key>`; Prometheus' `authorization.credentials_file`). No key is 401, any other
 * key 403. The metrics hold no personal data, but they tell how busy the service is.
 */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, { admin, metrics }) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (operator key)',
        description: 'The Prometheus text format. Needs the operator key. With METRICS_LISTEN set, the same is also served without a key on that address.',
        tags: ['health'],
        response: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const token = bearerToken(request.headers.authorization);
      const caller = token === null ? null : admin.auth.bearer(token);
      if (caller === null) throw new AppError('UNAUTHORIZED', 'the operator key (Authorization: Bearer <key>) is required');
      if (caller.principal.kind !== 'operator') throw new AppError('FORBIDDEN', 'only the operator key may read the metrics');
      return reply.header('content-type', PROMETHEUS_CONTENT_TYPE).header('cache-control', 'no-store').send(await metrics.text());
    },
  );
};
