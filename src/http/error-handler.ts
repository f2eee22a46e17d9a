import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isAppError } from '../lib/errors.ts';
import { installStrictRoutes } from './strict-routes.ts';

/** What the API answers for an error: a status and the `{code, message}` body. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: { readonly code: ErrorCode; readonly message: string };
}

const INTERNAL: ErrorResponse = { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as Partial<FastifyError>).code === 'string';
}

/** Client-error statuses Fastify raises that have a code of their own. */
const STATUS_CODES: Readonly<Partial<Record<number, ErrorCode>>> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
};

/**
 * Fastify's validation message, except that an unknown property is named (Ajv's own text,
 * "must NOT have additional properties", does not say which).
 */
function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  const extra = first?.keyword === 'additionalProperties' ? (first.params as { additionalProperty?: unknown }).additionalProperty : undefined;
  if (typeof extra !== 'string') return err.message;
  return `${err.validationContext ?? 'body'}${first?.instancePath ?? ''}/${extra} is not a known field`;
}

/**
 * Maps anything thrown while handling a request to a response. `AppError`s keep their code
 * and status; Fastify's own client errors (validation, malformed JSON, wrong content type)
 * become `BAD_REQUEST` with Fastify's message, which names the field and never contains
 * server internals; an oversized body is `PAYLOAD_TOO_LARGE` (413); everything else is
 * `INTERNAL` with a fixed message.
 */
export function errorResponse(err: unknown): ErrorResponse {
  if (isAppError(err)) {
    // An INTERNAL AppError may wrap a foreign message (toAppError), so its text stays in the log.
    if (err.code === 'INTERNAL') return INTERNAL;
    return { status: err.httpStatus, body: { code: err.code, message: err.message } };
  }
  if (isFastifyError(err)) {
    if (err.validation !== undefined) {
      return { status: 400, body: { code: 'BAD_REQUEST', message: validationMessage(err) } };
    }
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return { status, body: { code: STATUS_CODES[status] ?? 'BAD_REQUEST', message: err.message } };
    }
  }
  return INTERNAL;
}

/**
 * Answers the errors Fastify raises before routing (a malformed percent-encoding, a path
 * parameter over the router's length limit) with the same body as every other error;
 * passed to Fastify as `frameworkErrors`.
 */
export function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorResponse(err);
  request.log.info({ code: body.code, status }, 'request rejected');
  void reply.code(status).send(body);
}

/**
 * Installs the one error handler, the unknown-route handler (404, or 405 with `Allow` when
 * the path exists with other methods) and the strict-route rules on the root instance.
 * Call before any route is registered.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) {
      request.log.error({ err, code: body.code }, 'request failed');
    } else {
      request.log.info({ code: body.code, status }, 'request rejected');
    }
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  const allowedMethods = installStrictRoutes(app);
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(request.url.split('?')[0] ?? '');
    if (allowed.length > 0) {
      request.log.info({ code: 'METHOD_NOT_ALLOWED', status: 405 }, 'method not allowed');
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({ code: 'METHOD_NOT_ALLOWED', message: `${request.method} is not allowed here; use ${allowed.join(', ')}` });
    }
    request.log.info({ code: 'NOT_FOUND', status: 404 }, 'no such route');
    return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such route' });
  });
}
