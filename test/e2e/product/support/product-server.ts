/**
 * Starts the whole product in-process for an end-to-end test: a fresh data directory, the
 * demo room (optionally with other settings, written before the server starts), SIP and
 * HTTP on 127.0.0.1 port 0, and an RTP sub-range chosen by the test file so parallel files
 * do not clash; on the embedded engine unless told otherwise. Torn down with the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Test } from 'tap';
import { loadConfig } from '../../../../src/config/load-config.ts';
import type { RoomSettings } from '../../../../src/domain/access.ts';
import { createLogger } from '../../../../src/observability/logger.ts';
import { startServer, type RunningServer } from '../../../../src/server.ts';
import { DEMO_IDS, openStore, seedDemo } from '../../../../src/storage/index.ts';
import type { ProductEngine } from './engines.ts';
import type { Store } from '../../../../src/storage/store.ts';

/** The fixed demo API key the tests use (24–128 URL-safe characters). */
export const TEST_API_KEY = 'e2e-product-test-key-0123456789abcdef';
/** The server secret (PIN hash key) the tests give the server, so a side store hashes alike. */
export const TEST_SERVER_SECRET = Buffer.alloc(32, 0x5a);
/** The operator key the tests give the server. */
export const TEST_OPERATOR_KEY = 'e2e-operator-test-key-0123456789abcdef';

/** The demo room's PINs and number (the settings' defaults). */
export const DEMO = { serviceNumber: '1000', participantPin: '1234', hostPin: '9876', roomId: DEMO_IDS.room } as const;

/** Options for {@link startProductServer}. */
export interface ProductServerOptions {
  /** First port of this file's RTP sub-range (even); the range is `rtpBase … rtpBase + 199`. */
  readonly rtpBase: number;
  /** Demo room settings to write before the server starts. */
  readonly roomSettings?: Partial<RoomSettings>;
  /** Extra environment settings (e.g. LOCKOUT_CALLER_FAILURES). */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a data directory (restart tests); otherwise a fresh temporary one. */
  readonly dataDir?: string;
  /** The media engine (default: embedded). */
  readonly engine?: ProductEngine;
  /** The server's logger (default: silent unless E2E_LOG names a level); log-capture tests pass their own. */
  readonly logger?: Logger;
}

/** A running product and how to reach it. */
export interface ProductServer {
  readonly server: RunningServer;
  readonly dataDir: string;
  readonly sip: { readonly host: string; readonly port: number };
  readonly httpBase: string;
  readonly apiKey: string;
  /** The operator key. */
  readonly operatorKey: string;
  /** Graceful stop (idempotent). */
  close(): Promise<void>;
}

/** A fresh temporary data directory, removed when the test ends. */
export function tempDataDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-e2e-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The logger of the server under test: silent unless `E2E_LOG` names a level. */
export function testLogger(): Logger {
  const level = process.env.E2E_LOG;
  return createLogger(level === undefined || level === '' ? 'silent' : level, process.stderr);
}

/** Opens the server's database beside it (WAL allows a second connection); closed with the test. */
export function openSideStore(t: Test, dataDir: string): Store {
  const store = openStore(join(dataDir, 'dialbridge.sqlite'), TEST_SERVER_SECRET);
  t.teardown(() => {
    store.close();
  });
  return store;
}

/** Writes the demo room with `settings` before a server starts on `dataDir`. */
export function seedRoom(dataDir: string, settings: Partial<RoomSettings>): void {
  const store = openStore(join(dataDir, 'dialbridge.sqlite'), TEST_SERVER_SECRET);
  try {
    seedDemo(store, { serviceNumber: DEMO.serviceNumber, participantPin: DEMO.participantPin, hostPin: DEMO.hostPin, apiKey: TEST_API_KEY });
    store.rooms.updateSettings(DEMO.roomId, settings);
  } finally {
    store.close();
  }
}

/** Starts the product; it is closed gracefully when `t` ends. */
export async function startProductServer(t: Test, options: ProductServerOptions): Promise<ProductServer> {
  const dataDir = options.dataDir ?? tempDataDir(t);
  if (options.roomSettings !== undefined) seedRoom(dataDir, options.roomSettings);
  const config = loadConfig({
    SIP_LISTEN: '127.0.0.1:0',
    SIP_TCP: 'false',
    HTTP_LISTEN: '127.0.0.1:0',
    DATA_DIR: dataDir,
    RTP_PORT_MIN: String(options.rtpBase),
    RTP_PORT_MAX: String(options.rtpBase + 199),
    DEMO_API_KEY: TEST_API_KEY,
    OPERATOR_API_KEY: TEST_OPERATOR_KEY,
    SERVER_SECRET: TEST_SERVER_SECRET.toString('hex'),
    LOG_LEVEL: 'silent',
    // The server runs in the test's own process, whose event loop also decodes and correlates
    // the callers' audio: its lag says nothing about the server's load. The saturation guard
    // is tested by the admission tests (test/unit/flows/call-admission.test.ts).
    ADMISSION_MAX_LOOP_LAG_MS: '0',
    ADMISSION_MAX_LOOP_BUSY_PERCENT: '0',
    // MEDIA_WORKERS=N (or auto) in the test run's environment runs the product on the worker engine.
    ...(process.env.MEDIA_WORKERS === undefined ? {} : { MEDIA_WORKERS: process.env.MEDIA_WORKERS }),
    ...options.engine?.env,
    ...options.env,
  });
  const server = await startServer(config, options.logger ?? testLogger());
  t.teardown(() => server.close());
  const sip = server.sipAddress;
  if (sip === undefined) throw new Error('the engine reported no SIP address');
  return {
    server,
    dataDir,
    sip,
    httpBase: `http://127.0.0.1:${server.httpAddress.port}`,
    apiKey: server.apiKey.key,
    operatorKey: server.operatorKey.key,
    close: () => server.close(),
  };
}
