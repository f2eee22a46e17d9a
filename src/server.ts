/**
 * Builds and starts the whole server from a validated configuration: storage → engine →
 * flows → HTTP. `main.ts` calls it with the environment's config; end-to-end tests call it
 * with port 0 and a temporary data directory.
 */
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config/settings.ts';
import { keptSecret } from './config/kept-secret.ts';
import { Administration } from './admin/administration.ts';
import { demoApiKey, type DemoApiKey } from './config/demo-api-key.ts';
import { listenFailure } from './lib/listen-failure.ts';
import { prepareDataDir } from './lib/prepare-data-dir.ts';
import type { MediaEngine } from './ports/engine.ts';
import { lockDataDir, type DataDirLock } from './storage/data-dir-lock.ts';
import { openStore, seedDemo, closeInterruptedConferences } from './storage/index.ts';
import { createConferenceRuntime, type LockoutPolicy } from './flows/index.ts';
import { forgetNameClipsLeftByACrash } from './flows/name-clip-recovery.ts';
import { DEFAULT_DIAL_POLICY } from './domain/dial-policy.ts';
import { buildApp } from './http/build-app.ts';
import { RecordingLibrary } from './flows/recordings/recording-library.ts';
import { startRecordingRetention } from './jobs/recording-retention-job.ts';
import { startRetentionJob } from './jobs/retention-job.ts';
import { recoverInterruptedRecordings } from './storage/recover-recordings.ts';
import { WebhookDeliveryJob } from './jobs/webhook-delivery-job.ts';
import { WebhookEnqueuer } from './notify/webhooks/enqueuer.ts';
import { createWebhookSender } from './notify/webhooks/sender.ts';
import { webhookControl } from './notify/webhooks/webhook-service.ts';
import { Metrics } from './observability/metrics.ts';
import { startMetricsListener, type MetricsListener } from './observability/metrics-listener.ts';
import { readinessProbe } from './observability/readiness.ts';
import { startLoopLagProbe } from './observability/loop-lag-probe.ts';
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
  /** The operator key, and the file it is kept in (null when given by OPERATOR_API_KEY). */
  readonly operatorKey: { readonly key: string; readonly file: string | null };
  readonly apiKey: DemoApiKey;
  /** The Prometheus metrics. */
  readonly metrics: Metrics;
  /** Where METRICS_LISTEN serves /metrics without a key (when set). */
  readonly metricsAddress: AddressInfo | undefined;
  /** The webhook delivery job (tests look at what is in flight). */
  readonly webhookDeliveries: WebhookDeliveryJob;
  /**
   * The drain before a stop: new calls are refused 503 with Retry-After, calls up hear the
   * closing notice and may go on for up to `graceMs` (0 = none). Resolves when every call
   * ended or the grace passed; `close()` then ends what is left.
   */
  drain(graceMs: number): Promise<void>;
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
    mediaWorkers: config.mediaWorkers,
    tcpMaxConnections: config.sipTcpMaxConnections,
    tcpMaxPerSource: config.sipTcpMaxPerSource,
    tcpHeaderTimeoutMs: config.sipTcpHeaderTimeoutSeconds * 1000,
    tcpIdleMs: config.sipTcpIdleSeconds * 1000,
    logger: logger.child({ engine: 'embedded' }),
  });
}

/** Opens storage, starts the engine, the flows and the HTTP API. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dataDir = resolve(config.dataDir);
  prepareDataDir(dataDir, ['recordings']);
  // One server per DATA_DIR: before anything in it is read or written (a second server must
  // not close the first one's conferences as "interrupted").
  const dataDirLock = lockDataDir(dataDir);
  try {
    return await startLocked(config, logger, dataDir, dataDirLock);
  } catch (err) {
    dataDirLock.release();
    throw err;
  }
}

async function startLocked(config: Config, logger: Logger, dataDir: string, dataDirLock: DataDirLock): Promise<RunningServer> {
  const recordingsDir = join(dataDir, 'recordings');

  const pinSecret = config.serverSecret ?? Buffer.from(keptSecret(dataDir, 'server-secret', undefined).value, 'base64url');
  const operatorKey = keptSecret(dataDir, 'operator-api-key', config.operatorApiKey);
  const store = openStore(join(dataDir, 'dialbridge.sqlite'), pinSecret);
  // Before conferences are closed: a recording cut short by a crash is finalised and marked.
  const recovered = await recoverInterruptedRecordings(store, new Date(), logger);
  if (recovered > 0) logger.warn({ count: recovered }, 'finalised recordings cut short by an earlier run');
  const interrupted = store.conferences.open().map((c) => ({ id: c.id, roomId: c.roomId }));
  const closedCount = closeInterruptedConferences(store, new Date());
  if (closedCount > 0) logger.warn({ count: closedCount }, 'closed conferences left open by an earlier run');
  const clipsRemoved = await forgetNameClipsLeftByACrash(store, join(recordingsDir, 'names'), interrupted, new Date(), logger);
  if (clipsRemoved > 0) logger.warn({ count: clipsRemoved }, 'deleted spoken-name clips left by an earlier run');

  const apiKey = demoApiKey(dataDir, config.demoApiKey);
  seedDemo(store, {
    serviceNumber: config.demoServiceNumber,
    participantPin: config.demoParticipantPin,
    hostPin: config.demoHostPin,
    apiKey: apiKey.key,
  });

  const lockoutPolicy: LockoutPolicy = {
    callerMaxFailures: config.lockoutCallerFailures,
    sourceMaxFailures: config.lockoutSourceFailures,
    roomMaxFailures: config.lockoutRoomFailures,
    windowMs: config.lockoutWindowMinutes * 60_000,
    lockoutMs: config.lockoutMinutes * 60_000,
    maxDelayMs: config.lockoutMaxDelaySeconds * 1000,
  };
  if (config.trunkOpenInbound) {
    logger.warn({ setting: 'TRUNK_OPEN_INBOUND' }, 'OPEN INBOUND: SIP calls are accepted from ANY address, not only from trunks; set TRUNK_OPEN_INBOUND=false in production');
  }
  const metrics = new Metrics();
  const engine = await createEngine(config, logger);
  engine.events.on('guard', (kind) => { metrics.guard(kind); });
  const loopLag = startLoopLagProbe();
  // The post-conference email, off unless SMTP_URL is set; the public URL is known once HTTP listens.
  const mailer: { current: ConferenceMailer | null } = { current: null };
  const runtime = createConferenceRuntime({
    metrics,
    engine,
    store,
    clock: () => new Date(),
    logger,
    soundsDir: SOUNDS_DIR,
    recordingsDir,
    keypadMap: config.keypadMap,
    lockoutPolicy,
    nameMaxSeconds: config.nameRecordSeconds,
    ...(config.defaultCountry === undefined ? {} : { defaultCountry: config.defaultCountry }),
    openInbound: config.trunkOpenInbound,
    dialPolicy: {
      ...DEFAULT_DIAL_POLICY,
      destinations: config.dialDestinations,
      maxConcurrentPerAccount: config.dialMaxConcurrent,
      maxConcurrentPerRoom: config.dialMaxPerRoom,
      maxAttemptsPerHour: config.dialAttemptsPerHour,
      maxAttemptsPerDay: config.dialAttemptsPerDay,
    },
    dialRingTimeoutMs: config.dialRingSeconds * 1000,
    pinTries: config.pinTries,
    pinFirstDigitTimeoutMs: config.pinFirstDigitTimeoutSeconds * 1000,
    pinInterDigitTimeoutMs: config.pinDigitTimeoutSeconds * 1000,
    admission: {
      sourceInvites: config.admissionSourceInvites,
      sourceWindowMs: config.admissionSourceWindowSeconds * 1000,
      banMs: config.admissionBanSeconds * 1000,
      sourceNotFound: config.admissionSourceNotFound,
      trustedSources: config.admissionTrustedSources ?? [],
      callsPerSecond: config.admissionCallsPerSecond,
      maxCalls: config.admissionMaxCalls,
      maxLoopLagMs: config.admissionMaxLoopLagMs,
      maxLoopBusy: config.admissionMaxLoopBusyPercent / 100,
      minMediaIdle: config.admissionMinIdleCpuPercent / 100,
      scannerUserAgents: config.sipScannerUserAgents,
    },
    loopLagMs: () => loopLag.lagMs(),
    loopBusy: () => loopLag.busy(),
    onConferenceEnded: (conferenceId) => mailer.current?.conferenceEnded(conferenceId),
    names: createNameLookup(
      store,
      logger,
      config.nameDirectoryUrl === undefined ? undefined : { urlTemplate: config.nameDirectoryUrl, timeoutMs: config.nameDirectoryTimeoutMs },
    ),
  });
  // Webhooks: every live event is written to the outbox in the tick it is published; the job
  // delivers from there, off the calls' path.
  const sender = createWebhookSender({ allowPrivate: config.webhookAllowPrivate });
  const webhookDeliveries = new WebhookDeliveryJob({
    store,
    sender,
    clock: () => new Date(),
    logger: logger.child({ job: 'webhook-delivery' }),
    concurrency: config.webhookConcurrency,
    timeoutMs: config.webhookTimeoutSeconds * 1000,
    retry: { baseDelayMs: config.webhookRetryBaseSeconds * 1000, maxDelayMs: 3_600_000, retryForMs: config.webhookRetryHours * 3_600_000 },
    onAttempt: (outcome, result) => {
      metrics.webhookAttempt(outcome, result.durationMs);
    },
  });
  const enqueuer = new WebhookEnqueuer({ store, logger: logger.child({ component: 'webhook-outbox' }), onEnqueued: (id) => { webhookDeliveries.kick(id); } });
  runtime.tap(enqueuer.tap);
  runtime.tap((_roomId, record) => {
    metrics.liveEvent(record.type);
  });
  metrics.setSources({ runtime: () => runtime.stats(), outboxDepth: () => (store.closed ? 0 : store.webhooks.pendingCount()), webhookInFlight: () => webhookDeliveries.inFlight, engine: () => engine.telemetry?.() });

  await engine.start();
  webhookDeliveries.start();
  const retention = startRecordingRetention({
    store,
    clock: () => new Date(),
    logger: logger.child({ job: 'recording-retention' }),
    onDeleted: (count) => {
      metrics.retentionDeleted(count);
    },
  });

  // Personal data after its months (domain/retention.ts); really deleted, WAL checkpointed.
  const dataRetention = startRetentionJob({
    store,
    clock: () => new Date(),
    logger: logger.child({ job: 'data-retention' }),
    bounds: { minMonths: config.retentionMinMonths, maxMonths: config.retentionMaxMonths },
    lockout: { windowMs: config.lockoutWindowMinutes * 60_000, lockoutMs: config.lockoutMinutes * 60_000 },
    onDeleted: (kind, count) => {
      metrics.dataRetentionDeleted(kind, count);
    },
  });

  const admin = new Administration({ store, operatorKey: operatorKey.value, now: () => new Date(), conferences: runtime, lockoutPolicy });
  const app = await buildApp({
    admin,
    sessionHours: config.sessionHours,
    loginAttemptsPerMinute: config.loginAttemptsPerMinute,
    apiLimits: { perSourcePerMinute: config.apiRequestsPerMinute, perKeyPerMinute: config.apiKeyRequestsPerMinute, authFailuresPerMinute: config.apiAuthFailuresPerMinute },
    live: runtime.live,
    commands: runtime.commands,
    dialOut: runtime.dialOut,
    calls: runtime.calls,
    trunkHealth: () => runtime.trunkHealth.list(),
    recordings: new RecordingLibrary(store, () => new Date()),
    logger,
    engineAvailable: () => engine.available,
    webhooks: webhookControl({ store, sender, job: webhookDeliveries, allowPrivate: config.webhookAllowPrivate, timeoutMs: config.webhookTimeoutSeconds * 1000, now: () => new Date() }),
    metrics,
    readiness: readinessProbe({
      engineAvailable: () => engine.available,
      databaseWritable: () => store.writable(),
      // Once drain() turned the admission switch /readyz says no, so a load balancer sends new calls elsewhere.
      acceptingCalls: () => runtime.acceptingNewCalls(),
      dataDir,
      minFreeBytes: config.readyMinFreeMb * 1_048_576,
    }),
  });
  try {
    await app.listen({ host: config.httpListen.host, port: config.httpListen.port });
    // Start-up's own work is not load: the first calls must not be refused as "saturated".
    loopLag.reset();
  } catch (err) {
    await app.close().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    await engine.close().catch(() => undefined);
    loopLag.stop();
    store.close();
    throw listenFailure(err, { service: 'HTTP', ...config.httpListen, transport: 'tcp' });
  }
  let metricsListener: MetricsListener | undefined;
  if (config.metricsListen !== undefined) metricsListener = await startMetricsListener(config.metricsListen, metrics, logger);
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
    metrics,
    metricsAddress: metricsListener?.address,
    webhookDeliveries,
    drain: (graceMs) => runtime.drain(graceMs),
    close() {
      closing ??= (async () => {
        await metricsListener?.close();
        await app.close().catch((err: unknown) => { logger.error({ err }, 'http close failed'); });
        await runtime.close().catch((err: unknown) => { logger.error({ err }, 'runtime close failed'); });
        await engine.close().catch((err: unknown) => { logger.error({ err }, 'engine close failed'); });
        retention.stop();
        dataRetention.stop();
        loopLag.stop();
        // After the calls ended (their last events are in the outbox): what is in flight is
        // cut short and stays pending, to be sent again after the next start.
        await webhookDeliveries.stop();
        metrics.close();
        await mailer.current?.stop();
        store.close();
        dataDirLock.release();
      })();
      return closing;
    },
  };
}
