import type { Logger } from 'pino';
import type { Administration } from '../admin/administration.ts';
import type { LiveStatusSource } from '../domain/live-view.ts';
import type { HostCommands } from '../flows/host-commands.ts';
import type { RoomDialOut } from '../flows/dial-out/dial-out-service.ts';
import type { ClickToCall } from '../flows/click-to-call/click-to-call.ts';
import type { TrunkHealth } from '../domain/trunk.ts';
import type { RecordingLibrary } from '../flows/recordings/recording-library.ts';
import type { WebhookControl } from '../notify/webhooks/webhook-service.ts';
import type { ReadinessReport } from '../observability/readiness.ts';
import type { ApiLimits } from './api-guard.ts';

/** Everything the HTTP layer needs from the rest of the server; `main.ts` builds it. */
export interface HttpDeps {
  /** Accounts, people, rooms, credentials and the audit log. */
  readonly admin: Administration;
  /** Live Call Status read model and its change stream. */
  readonly live: LiveStatusSource;
  /** Host actions (the same implementation the keypad menu uses). */
  readonly commands: HostCommands;
  /** Dial-out from rooms; without it the dial routes answer 503. */
  readonly dialOut?: RoomDialOut;
  /** Click-to-call; without it `/v1/calls` answers 503. */
  readonly calls?: ClickToCall;
  /** Trunk faults since start, for `GET /v1/trunks/health`. */
  readonly trunkHealth?: () => TrunkHealth[];
  /** Stored recordings (list, download, delete); without it the `/v1/recordings` routes are absent. */
  readonly recordings?: RecordingLibrary;
  /** Webhooks (test deliveries, circuits); without it the `/v1/webhooks` routes are absent. */
  readonly webhooks?: WebhookControl;
  /** Where request and error logs go; authorization headers are redacted on top of it. */
  readonly logger: Logger;
  /** Whether the media engine can take calls now (reported by `/healthz`); default: always. */
  readonly engineAvailable?: () => boolean;
  /** What `/readyz` reports; default: the engine and whether the database takes a write. */
  readonly readiness?: () => Promise<ReadinessReport>;
  /** Prometheus metrics: request durations are observed, `/metrics` serves them to the operator. */
  readonly metrics?: HttpMetrics;
  /** The server version shown in the OpenAPI document. */
  readonly version?: string;
  /** Interval of SSE keep-alive comments in milliseconds; default 15 000 (tests shorten it). */
  readonly sseKeepAliveMs?: number;
  /** How long a browser session lasts; default 12 hours. */
  readonly sessionHours?: number;
  /** Sign-in attempts per minute per address and per email; default 10. */
  readonly loginAttemptsPerMinute?: number;
  /** Rate limits of the API (per address, per credential, failed authentications); none when absent. */
  readonly apiLimits?: ApiLimits;
}

/** What the HTTP layer does with metrics. */
export interface HttpMetrics {
  /** A request finished: its method, route template (or `unmatched`), status and duration. */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** The Prometheus text exposition. */
  text(): Promise<string>;
}
