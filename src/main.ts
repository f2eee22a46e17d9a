/**
 * The one file that wires every layer: configuration → logger → storage → engine → flows →
 * HTTP. Everything else receives what it needs as arguments.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config/load-config.ts';
import type { Config } from './config/settings.ts';
import { demoApiKey } from './config/demo-api-key.ts';
import { isAppError } from './lib/errors.ts';
import { createLogger } from './observability/logger.ts';
import { printDialInDetails } from './observability/dial-in-banner.ts';
import type { MediaEngine } from './ports/engine.ts';
import { openStore } from './storage/index.ts';
import { seedDemo, closeInterruptedConferences } from './storage/index.ts';
import { createConferenceRuntime, defaultKeypadMap } from './flows/index.ts';
import { buildApp } from './http/build-app.ts';

const SOUNDS_DIR = fileURLToPath(new URL('../sounds/', import.meta.url));

async function createEngine(config: Config, logger: ReturnType<typeof createLogger>): Promise<MediaEngine> {
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

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);
  const recordingsDir = join(dataDir, 'recordings');
  mkdirSync(recordingsDir, { recursive: true });

  const store = openStore(join(dataDir, 'dialbridge.sqlite'));
  const closed = closeInterruptedConferences(store, new Date());
  if (closed > 0) logger.warn({ count: closed }, 'closed conferences left open by an earlier run');

  const apiKey = demoApiKey(dataDir, config.demoApiKey);
  seedDemo(store, {
    serviceNumber: config.demoServiceNumber,
    participantPin: config.demoParticipantPin,
    hostPin: config.demoHostPin,
    apiKey: apiKey.key,
  });

  const engine = await createEngine(config, logger);
  const runtime = createConferenceRuntime({
    engine,
    store,
    clock: () => new Date(),
    logger,
    soundsDir: SOUNDS_DIR,
    recordingsDir,
    keypadMap: defaultKeypadMap,
    lockoutPolicy: {
      callerMaxFailures: config.lockoutCallerFailures,
      roomMaxFailures: config.lockoutRoomFailures,
      windowMs: config.lockoutWindowMinutes * 60_000,
      lockoutMs: config.lockoutMinutes * 60_000,
    },
    nameMaxSeconds: config.nameRecordSeconds,
  });
  await engine.start();

  const app = await buildApp({
    access: store,
    live: runtime.live,
    commands: runtime.commands,
    logger,
    engineAvailable: () => engine.available,
  });
  await app.listen({ host: config.httpListen.host, port: config.httpListen.port });

  printDialInDetails(process.stdout, {
    engine: config.mediaEngine,
    sip: engine.sipAddress,
    http: app.server.address(),
    serviceNumber: config.demoServiceNumber,
    participantPin: config.demoParticipantPin,
    hostPin: config.demoHostPin,
    apiKey: apiKey.key,
    apiKeyGenerated: apiKey.generated,
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close().catch((err: unknown) => logger.error({ err }, 'http close failed'));
    await runtime.close().catch((err: unknown) => logger.error({ err }, 'runtime close failed'));
    await engine.close().catch((err: unknown) => logger.error({ err }, 'engine close failed'));
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const message = isAppError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`dialbridge failed to start: ${message}\n`);
  process.exit(1);
});
