import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Field names that may hold personal data or secrets. They are redacted at the top level and
 * one level down (`{leg: {number}}`), whatever the log level.
 */
const SENSITIVE_FIELDS = [
  'pin',
  'digits',
  'number',
  'cli',
  'callerId',
  'from',
  'to',
  'pai',
  'name',
  'spokenName',
  'displayName',
  'apiKey',
  'password',
  'authorization',
] as const;

/** pino redaction paths for {@link SENSITIVE_FIELDS}. */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((f) => `*.${f}`),
  'req.headers.authorization',
];

/** The process logger: JSON to stdout, personal data redacted. */
export function createLogger(level: LoggerOptions['level'] = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { service: 'dialbridge' },
  };
  return destination ? pino(options, destination) : pino(options);
}
