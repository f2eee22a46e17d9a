import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isAppError } from '../lib/errors.ts';

/** What the API answers for an error: a status and the `{code, message}` body. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: { readonly code: ErrorCode; readonly message: string };
}

const INTERNAL: ErrorResponse = { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as Partial<FastifyError>).code === 'string';
}

/**
 * Maps anything thrown while handling a request to a response. `AppError`s keep their code
 * and status; Fastify's own client errors (validation, malformed JSON, wrong content type,
 * oversized body) become `BAD_REQUEST` with Fastify's message, which names the field and
 * never contains server internals; everything else is `INTERNAL` with a fixed message.
 */
export function errorResponse(err: unknown): ErrorResponse {
  if (isAppError(err)) {
    // An INTERNAL AppError may wrap a foreign message (toAppError), so its text stays in the log.
    if (err.code === 'INTERNAL') return INTERNAL;
    return { status: err.httpStatus, body: { code: err.code, message: err.message } };
  }
  if (isFastifyError(err)) {
    if (err.validation !== undefined) {
      return { status: 400, body: { code: 'BAD_REQUEST', message: err.message } };
    }
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return { status, body: { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message: err.message } };
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

/** Installs the one error handler and the unknown-route handler on the root instance. */
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
  app.setNotFoundHandler((request, reply) => {
    request.log.info({ code: 'NOT_FOUND', status: 404 }, 'no such route');
    return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such route' });
  });
}
