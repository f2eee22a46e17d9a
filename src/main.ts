/**
 * The process entry point: reads the configuration, starts the server, prints the dial-in
 * details and stops gracefully on SIGINT/SIGTERM or, under `npm start`, when npm dies.
 */
import { launchedByNpm } from './config/launched-by-npm.ts';
import { loadConfig } from './config/load-config.ts';
import type { Config } from './config/settings.ts';
import { isAppError } from './lib/errors.ts';
import { exitCodeFor } from './lib/exit-codes.ts';
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

  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => { stop('SIGINT'); });
  process.once('SIGTERM', () => { stop('SIGTERM'); });
  // A process manager may kill `npm start` itself (SIGKILL, or a shell that does not pass
  // signals on): the server must not live on as an orphan with its calls up.
  if (launchedByNpm(process.env)) watchParent(() => { stop('parent-exited'); });
}

main().catch((err: unknown) => {
  // Expected start-up failures (a port in use, an unusable DATA_DIR) are AppErrors whose
  // message says what and where: one line, no stack. Anything else is a bug: keep the stack.
  const message = isAppError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`dialbridge: cannot start: ${message}\n`);
  process.exit(exitCodeFor(err));
});
