/**
 * The process entry point: reads the configuration, starts the server, prints the dial-in
 * details and stops gracefully on SIGINT/SIGTERM or, under `npm start`, when npm dies.
 */
import { launchedByNpm } from './config/launched-by-npm.ts';
import { loadConfig } from './config/load-config.ts';
import type { Config } from './config/settings.ts';
import { isAppError } from './lib/errors.ts';
import { EXIT_CODES, exitCodeFor } from './lib/exit-codes.ts';
import { watchParent } from './lib/watch-parent.ts';
import { createLogger } from './observability/logger.ts';
import { printDialInDetails } from './observability/dial-in-banner.ts';
import { startServer } from './server.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(exitCodeFor(err));
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);

  printDialInDetails(process.stdout, {
    engine: config.mediaEngine,
    sip: server.sipAddress,
    http: server.httpAddress,
    serviceNumber: config.demoServiceNumber,
    participantPin: config.demoParticipantPin,
    hostPin: config.demoHostPin,
    ...(config.mediaEngine === 'embedded' ? { sipTcp: config.sipTcp } : {}),
    apiKey: server.apiKey,
    operatorKeyFile: server.operatorKey.file,
  });

  // A signal drains first (new calls refused, calls up told and given DRAIN_GRACE_SECONDS);
  // a second signal, or the parent dying, stops at once.
  let stopping = false;
  let cutShort: () => void = () => undefined;
  const stop = (reason: string, graceMs: number): void => {
    if (stopping) {
      cutShort();
      return;
    }
    stopping = true;
    logger.info({ reason, graceMs }, 'shutting down');
    const now = new Promise<void>((resolve) => {
      cutShort = resolve;
    });
    void Promise.race([server.drain(graceMs), now])
      .then(() => server.close())
      .finally(() => process.exit(EXIT_CODES.ok));
  };
  const grace = config.drainGraceSeconds * 1000;
  process.on('SIGINT', () => { stop('SIGINT', grace); });
  process.on('SIGTERM', () => { stop('SIGTERM', grace); });
  // A process manager may kill `npm start` itself (SIGKILL, or a shell that does not pass
  // signals on): the server must not live on as an orphan with its calls up.
  if (launchedByNpm(process.env)) watchParent(() => { stop('parent-exited', 0); });
}

main().catch((err: unknown) => {
  // Expected start-up failures (a port in use, an unusable DATA_DIR) are AppErrors whose
  // message says what and where: one line, no stack. Anything else is a bug: keep the stack.
  const message = isAppError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`dialbridge: cannot start: ${message}\n`);
  process.exit(exitCodeFor(err));
});
