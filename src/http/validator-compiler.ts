import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// Fastify's default Ajv coerces types and strips unknown properties. A request body must
// arrive as written: `{"name": 42}` is not the name "42" and an unknown field is a mistake
// the client should hear about. The querystring and path are text by nature, so numbers
// there are still read from their digits.
const COMMON: Options = { useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false };

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  addFormats.default(ajv);
  return ajv;
}

const strict = ajvWith({ coerceTypes: false });
const textual = ajvWith({ coerceTypes: 'array' });

/** Compiles each route's schemas: bodies strictly, querystrings, params and headers from text. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : textual).compile(schema as object);

interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string | undefined;
  readonly params: Record<string, unknown>;
}

/**
 * The message of a validation failure, naming the field: `body/name must be string`, and
 * for an unknown field `body/settings has an unknown field "colour"` (Ajv would only say
 * "must NOT have additional properties").
 */
export function schemaErrorMessage(errors: readonly SchemaError[], dataVar: string): Error {
  const first = errors[0];
  if (first === undefined) return new Error(`${dataVar} is invalid`);
  const where = `${dataVar}${first.instancePath}`;
  const extra = first.params.additionalProperty;
  if (first.keyword === 'additionalProperties' && typeof extra === 'string') return new Error(`${where} has an unknown field "${extra}"`);
  return new Error(`${where} ${first.message ?? 'is invalid'}`);
}
