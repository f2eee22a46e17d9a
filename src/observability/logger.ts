import { destination as pinoDestination, pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrubLogObject } from './log-scrubber.ts';

/**
 * Field names that may hold personal data or secrets. They are redacted at the top level and
 * one level down (`{leg: {number}}`), whatever the log level; the scrubbing stream below then
 * takes personal data out wherever else it occurs.
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

/**
 * A destination that scrubs every finished line (after pino's serializers ran, so requests
 * and errors are scrubbed as written): sensitive fields at any depth, and in every string
 * phone numbers, SIP URI users, display names and the values seen on calls
 * (observability/log-scrubber.ts). A line that is not JSON is dropped rather than risk it.
 */
export function scrubbingDestination(target: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      target.write(`${JSON.stringify(scrubLogObject(parsed))}\n`);
    },
  };
}

/** The process logger: JSON to stdout (or `destination`), personal data redacted and scrubbed. */
export function createLogger(level: LoggerOptions['level'] = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { service: 'dialbridge' },
  };
  return pino(options, scrubbingDestination(destination ?? pinoDestination({ dest: 1, sync: true })));
}
