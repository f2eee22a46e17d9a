/**
 * Builds and starts the whole server from a validated configuration: storage → engine →
 * flows → HTTP. `main.ts` calls it with the environment's config; end-to-end tests call it
 * with port 0 and a temporary data directory.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config/settings.ts';
import { demoApiKey } from './config/demo-api-key.ts';
import { keptSecret } from './config/kept-secret.ts';
import { Administration } from './admin/administration.ts';
import type { MediaEngine } from './ports/engine.ts';
import { openStore, seedDemo, closeInterruptedConferences } from './storage/index.ts';
import { createConferenceRuntime } from './flows/index.ts';
import { buildApp } from './http/build-app.ts';
import { RecordingLibrary } from './flows/recordings/recording-library.ts';
import { startRecordingRetention } from './jobs/recording-retention-job.ts';
import { recoverInterruptedRecordings } from './storage/recover-recordings.ts';
import { createNameLookup } from './lookup/index.ts';
import { createTransport } from 'nodemailer';
import { startConferenceMailer, type ConferenceMailer } from './notify/conference-mailer.ts';

/** Where the shipped prompts are. */
export const SOUNDS_DIR = fileURLToPath(new URL('../sounds/', import.meta.url));

/** A running server. */
export interface RunningServer {
  readonly engine: MediaEngine;
  readonly sipAddress: { readonly host: string; readonly port: number } | undefined;
  readonly httpAddress: AddressInfo;
  readonly apiKey: { readonly key: string; readonly generated: boolean };
  /** The operator key, and the file it is kept in (null when given by OPERATOR_API_KEY). */
  readonly operatorKey: { readonly key: string; readonly file: string | null };
  /** Graceful stop: HTTP, then calls and rooms, then the database. Idempotent. */
  close(): Promise<void>;
}

async function createEngine(config: Config, logger: Logger): Promise<MediaEngine> {
  if (config.mediaEngine === 'freeswitch') {
    const fs = await import('./engines/freeswitch/index.ts');
    const options = fs.freeswitchOptionsFromEnv({
      ...(config.freeswitchEsl === undefined ? {} : { FREESWITCH_ESL: config.freeswitchEsl }),
      ...(config.drachtioAddress === undefined ? {} : { DRACHTIO_ADDRESS: config.drachtioAddress }),
      ...(config.freeswitchMediaAddress === undefined ? {} : { FREESWITCH_MEDIA_ADDRESS: config.freeswitchMediaAddress }),
    });
    if (!options) throw new Error('FREESWITCH_ESL and DRACHTIO_ADDRESS are required');
    return fs.createFreeswitchEngine({ ...options, development: config.allowDefaultSecrets, logger: logger.child({ engine: 'freeswitch' }) });
  }
  const { createEmbeddedEngine } = await import('./engines/embedded/index.ts');
  return createEmbeddedEngine({
    sipHost: config.sipListen.host,
    sipPort: config.sipListen.port,
    tcp: config.sipTcp,
    rtpHost: config.rtpHost ?? config.sipListen.host,
    rtpPortMin: config.rtpPortMin,
    rtpPortMax: config.rtpPortMax,
    mediaTimeoutMs: config.mediaTimeoutSeconds * 1000,
    logger: logger.child({ engine: 'embedded' }),
  });
}

/** Opens storage, starts the engine, the flows and the HTTP API. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dataDir = resolve(config.dataDir);
  const recordingsDir = join(dataDir, 'recordings');
  mkdirSync(recordingsDir, { recursive: true });

  const pinSecret = config.serverSecret ?? Buffer.from(keptSecret(dataDir, 'server-secret', undefined).value, 'base64url');
  const operatorKey = keptSecret(dataDir, 'operator-api-key', config.operatorApiKey);
  const store = openStore(join(dataDir, 'dialbridge.sqlite'), pinSecret);
  // Before conferences are closed: a recording cut short by a crash is finalised and marked.
  const recovered = await recoverInterruptedRecordings(store, new Date(), logger);
  if (recovered > 0) logger.warn({ count: recovered }, 'finalised recordings cut short by an earlier run');
  const closedCount = closeInterruptedConferences(store, new Date());
  if (closedCount > 0) logger.warn({ count: closedCount }, 'closed conferences left open by an earlier run');

  const apiKey = demoApiKey(dataDir, config.demoApiKey);
  seedDemo(store, {
    serviceNumber: config.demoServiceNumber,
    participantPin: config.demoParticipantPin,
    hostPin: config.demoHostPin,
    apiKey: apiKey.key,
  });

  const engine = await createEngine(config, logger);
  // The post-conference email, off unless SMTP_URL is set; the public URL is known once HTTP listens.
  const mailer: { current: ConferenceMailer | null } = { current: null };
  const runtime = createConferenceRuntime({
    engine,
    store,
    clock: () => new Date(),
    logger,
    soundsDir: SOUNDS_DIR,
    recordingsDir,
    keypadMap: config.keypadMap,
    lockoutPolicy: {
      callerMaxFailures: config.lockoutCallerFailures,
      roomMaxFailures: config.lockoutRoomFailures,
      windowMs: config.lockoutWindowMinutes * 60_000,
      lockoutMs: config.lockoutMinutes * 60_000,
    },
    nameMaxSeconds: config.nameRecordSeconds,
    onConferenceEnded: (conferenceId) => mailer.current?.conferenceEnded(conferenceId),
    names: createNameLookup(
      store,
      logger,
      config.nameDirectoryUrl === undefined ? undefined : { urlTemplate: config.nameDirectoryUrl, timeoutMs: config.nameDirectoryTimeoutMs },
    ),
  });
  await engine.start();
  const retention = startRecordingRetention({ store, clock: () => new Date(), logger: logger.child({ job: 'recording-retention' }) });

  const admin = new Administration({ store, operatorKey: operatorKey.value, now: () => new Date(), conferences: runtime });
  const app = await buildApp({
    admin,
    sessionHours: config.sessionHours,
    loginAttemptsPerMinute: config.loginAttemptsPerMinute,
    live: runtime.live,
    commands: runtime.commands,
    recordings: new RecordingLibrary(store, () => new Date()),
    logger,
    engineAvailable: () => engine.available,
  });
  await app.listen({ host: config.httpListen.host, port: config.httpListen.port });
  if (config.smtpUrl !== undefined) {
    const address = app.server.address() as AddressInfo;
    mailer.current = startConferenceMailer({
      store,
      clock: () => new Date(),
      logger: logger.child({ component: 'conference-email' }),
      transport: createTransport(config.smtpUrl),
      from: config.emailFrom,
      publicUrl: config.publicUrl ?? `http://${address.address}:${String(address.port)}`,
    });
  }

  let closing: Promise<void> | undefined;
  return {
    engine,
    sipAddress: engine.sipAddress,
    httpAddress: app.server.address() as AddressInfo,
    apiKey,
    operatorKey: { key: operatorKey.value, file: config.operatorApiKey === undefined ? join(dataDir, 'operator-api-key') : null },
    close() {
      closing ??= (async () => {
        await app.close().catch((err: unknown) => { logger.error({ err }, 'http close failed'); });
        await runtime.close().catch((err: unknown) => { logger.error({ err }, 'runtime close failed'); });
        await engine.close().catch((err: unknown) => { logger.error({ err }, 'engine close failed'); });
        retention.stop();
        await mailer.current?.stop();
        store.close();
      })();
      return closing;
    },
  };
}
