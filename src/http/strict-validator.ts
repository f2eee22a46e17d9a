import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

/** Fastify's compiler pool: one Ajv instance per distinct schema set and options. */
const pool = AjvCompiler();

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/**
 * Fastify's validator with strict bodies: a JSON body is validated as sent — never coerced
 * (Fastify's default turns `{"name": true}` into the name "true") — and properties a schema
 * does not allow are rejected, never silently removed. Path, query and header values are
 * text on the wire, so they keep Fastify's coercion (`?limit=10` still validates as an
 * integer); nothing is silently removed from them either. Passed as
 * `schemaController.compilersFactory.buildValidator`, so every route inherits it.
 */
export const strictValidator: ValidatorFactory = (externalSchemas, options) => {
  const custom = options?.customOptions ?? {};
  const plugins = options?.plugins ?? [];
  const strict = pool(externalSchemas, { plugins, customOptions: { ...custom, coerceTypes: false, removeAdditional: false } });
  const textual = pool(externalSchemas, { plugins, customOptions: { ...custom, removeAdditional: false } });
  return (route) => (route.httpPart === 'body' ? strict : textual)(route);
};
