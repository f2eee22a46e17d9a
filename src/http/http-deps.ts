import type { Logger } from 'pino';
import type { Administration } from '../admin/administration.ts';
import type { LiveStatusSource } from '../domain/live-view.ts';
import type { HostCommands } from '../flows/host-commands.ts';
import type { RecordingLibrary } from '../flows/recordings/recording-library.ts';

/** Everything the HTTP layer needs from the rest of the server; `main.ts` builds it. */
export interface HttpDeps {
  /** Accounts, people, rooms, credentials and the audit log. */
  readonly admin: Administration;
  /** Live Call Status read model and its change stream. */
  readonly live: LiveStatusSource;
  /** Host actions (the same implementation the keypad menu uses). */
  readonly commands: HostCommands;
  /** Stored recordings (list, download, delete); without it the `/v1/recordings` routes are absent. */
  readonly recordings?: RecordingLibrary;
  /** Where request and error logs go; authorization headers are redacted on top of it. */
  readonly logger: Logger;
  /** Whether the media engine can take calls now (reported by `/healthz`); default: always. */
  readonly engineAvailable?: () => boolean;
  /** The server version shown in the OpenAPI document. */
  readonly version?: string;
  /** Interval of SSE keep-alive comments in milliseconds; default 15 000 (tests shorten it). */
  readonly sseKeepAliveMs?: number;
  /** How long a browser session lasts; default 12 hours. */
  readonly sessionHours?: number;
  /** Sign-in attempts per minute per address and per email; default 10. */
  readonly loginAttemptsPerMinute?: number;
}
