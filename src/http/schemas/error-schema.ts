import { Type } from 'typebox';
import { ERROR_CODES, type ErrorCode } from '../../lib/errors.ts';

/** The body of every error response: a stable code and a human-readable message. */
export const ErrorBody = Type.Object(
  {
    code: Type.Enum(Object.keys(ERROR_CODES) as ErrorCode[], { type: 'string' }),
    message: Type.String(),
  },
  { description: 'A stable error code from the registry and a human-readable message.' },
);

/** Error responses every authenticated route may return. */
export const authErrorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
} as const;

/** Error responses every command route may return in addition. */
export const commandErrorResponses = {
  ...authErrorResponses,
  403: ErrorBody,
  409: ErrorBody,
  503: ErrorBody,
  504: ErrorBody,
} as const;
