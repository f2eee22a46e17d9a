/**
 * One error type for the whole server. Every failure the server reports carries a stable
 * `code` from {@link ERROR_CODES}; the edges (HTTP, SIP) map codes to their own vocabulary
 * and never branch on message text.
 */

/** Every error code the server may report, with its HTTP status and SIP final response. */
export const ERROR_CODES = {
  // Input and configuration
  BAD_REQUEST: { http: 400, sip: 400 },
  PAYLOAD_TOO_LARGE: { http: 413, sip: 513 },
  METHOD_NOT_ALLOWED: { http: 405, sip: 405 },
  CONFIG_INVALID: { http: 500, sip: 500 },
  SIP_PARSE: { http: 400, sip: 400 },
  SDP_NOT_ACCEPTABLE: { http: 400, sip: 488 },
  // Authentication and authorisation
  UNAUTHORIZED: { http: 401, sip: 403 },
  FORBIDDEN: { http: 403, sip: 403 },
  NOT_FOUND: { http: 404, sip: 404 },
  // Conference rules
  PIN_INVALID: { http: 403, sip: 403 },
  PIN_LOCKED_OUT: { http: 429, sip: 503 },
  ROOM_LOCKED: { http: 409, sip: 403 },
  ROOM_FULL: { http: 409, sip: 486 },
  CONFERENCE_NOT_ACTIVE: { http: 409, sip: 404 },
  LEG_GONE: { http: 409, sip: 481 },
  INVALID_TRANSITION: { http: 409, sip: 500 },
  // Recordings
  /** A recording command that makes no sense now (start while on, pause while off, …). */
  RECORDING_STATE: { http: 409, sip: 500 },
  /** The recording is still being written (download or delete it after it stopped). */
  RECORDING_IN_PROGRESS: { http: 409, sip: 500 },
  /** More than 60 days after the conference ended: listed, no longer downloadable. */
  RECORDING_EXPIRED: { http: 410, sip: 500 },
  /** Account admins see and delete recordings but may not listen to them. */
  RECORDING_DOWNLOAD_FORBIDDEN: { http: 403, sip: 403 },
  /** The requested byte range lies outside the file (HTTP 416). */
  RANGE_NOT_SATISFIABLE: { http: 416, sip: 500 },
  // Administration
  EMAIL_IN_USE: { http: 409, sip: 500 },
  PINS_EQUAL: { http: 409, sip: 500 },
  PIN_IN_USE: { http: 409, sip: 500 },
  SERVICE_NUMBER_EXISTS: { http: 409, sip: 500 },
  SERVICE_NUMBER_IN_USE: { http: 409, sip: 500 },
  SERVICE_NUMBER_UNAVAILABLE: { http: 409, sip: 500 },
  USER_OWNS_ROOMS: { http: 409, sip: 500 },
  LAST_ADMIN: { http: 409, sip: 500 },
  CSRF_INVALID: { http: 403, sip: 403 },
  RATE_LIMITED: { http: 429, sip: 503 },
  // Webhooks
  /** A webhook URL that is not http(s), holds credentials, or points at a private address. */
  WEBHOOK_DESTINATION_REFUSED: { http: 400, sip: 500 },
  /** Another contact of the account has this number (numbers are unique per account). */
  CONTACT_EXISTS: { http: 409, sip: 500 },
  // Engine and media
  ENGINE_UNAVAILABLE: { http: 503, sip: 503 },
  ENGINE_CLOSED: { http: 503, sip: 503 },
  OPERATION_TIMEOUT: { http: 504, sip: 408 },
  OPERATION_ABORTED: { http: 409, sip: 487 },
  DIAL_FAILED: { http: 502, sip: 502 },
  // Dial-out and trunks (issue 9): refusals of the dial policy never reach SIP.
  /** A destination that is malformed or not a valid number (names the field). */
  DIAL_NUMBER_INVALID: { http: 400, sip: 484 },
  DIAL_REFUSED_DESTINATION: { http: 403, sip: 403 },
  DIAL_REFUSED_NUMBER_TYPE: { http: 403, sip: 403 },
  DIAL_LIMIT_CONCURRENT: { http: 429, sip: 486 },
  DIAL_LIMIT_RATE: { http: 429, sip: 503 },
  /** A number that failed repeatedly must rest before it is dialled again. */
  DIAL_SLOWED: { http: 429, sip: 503 },
  /** The account has no trunk to dial out through. */
  TRUNK_NOT_CONFIGURED: { http: 409, sip: 503 },
  /** A SIP call from an address no trunk lists. */
  TRUNK_SOURCE_REFUSED: { http: 403, sip: 403 },
  TRUNK_EXISTS: { http: 409, sip: 500 },
  DID_IN_USE: { http: 409, sip: 500 },
  PORTS_EXHAUSTED: { http: 503, sip: 503 },
  MEDIA_FILE: { http: 500, sip: 500 },
  // Start-up (the process exits 1)
  LISTEN_FAILED: { http: 500, sip: 500 },
  DATA_DIR_UNUSABLE: { http: 500, sip: 500 },
  /** Another server holds the DATA_DIR's lock (one server per DATA_DIR). */
  DATA_DIR_LOCKED: { http: 500, sip: 500 },
  // Internal
  INTERNAL: { http: 500, sip: 500 },
} as const satisfies Record<string, { http: number; sip: number }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The base of every error the server throws on purpose. */
export class AppError extends Error {
  /** Extra machine-readable facts (a field name, a SIP status, …). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details ?? {};
  }

  /** The HTTP status this error maps to. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  /** The SIP final response status this error maps to. */
  get sipStatus(): number {
    return ERROR_CODES[this.code].sip;
  }
}

/** True when `err` is an {@link AppError}, optionally with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** Wraps anything thrown by foreign code into an {@link AppError}. */
export function toAppError(err: unknown, code: ErrorCode = 'INTERNAL'): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(code, message, { cause: err });
}
