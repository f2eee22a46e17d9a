/**
 * Which media engines the product end-to-end tests run on, chosen the way the contract suite
 * chooses: always the embedded engine; the FreeSWITCH engine too when FREESWITCH_ESL
 * (host:port:password) and DRACHTIO_ADDRESS (host:port:secret) point at live servers —
 * otherwise its run is reported to tap as a skip, with the reason.
 */
import type { Test } from 'tap';

/** One engine the product runs on, and the settings that select it. */
export interface ProductEngine {
  readonly name: 'embedded' | 'freeswitch';
  /** Settings for the server (MEDIA_ENGINE and the engine's addresses). */
  readonly env: Readonly<Record<string, string>>;
  /** A skip reason when the engine cannot run here. */
  readonly skip: false | string;
}

/** The engines to run on, from the environment. */
export function productEngines(env: NodeJS.ProcessEnv = process.env): ProductEngine[] {
  const esl = env.FREESWITCH_ESL ?? '';
  const drachtio = env.DRACHTIO_ADDRESS ?? '';
  const configured = esl !== '' && drachtio !== '';
  const media = env.FREESWITCH_MEDIA_ADDRESS ?? '';
  return [
    { name: 'embedded', env: { MEDIA_ENGINE: 'embedded' }, skip: false },
    {
      name: 'freeswitch',
      env: {
        MEDIA_ENGINE: 'freeswitch',
        FREESWITCH_ESL: esl,
        DRACHTIO_ADDRESS: drachtio,
        ...(media === '' ? {} : { FREESWITCH_MEDIA_ADDRESS: media }),
        // Test servers run with the well-known default secrets.
        ALLOW_DEFAULT_SECRETS: 'true',
      },
      skip: configured ? false : 'FreeSWITCH not configured: set FREESWITCH_ESL and DRACHTIO_ADDRESS',
    },
  ];
}

/**
 * Runs `suite` once per engine, each in its own subtest named for the engine. Each engine that
 * runs gets the file's whole time budget (tap's per-file timeout, `TAP_TIMEOUT` seconds), so a
 * file does not time out merely because it now runs twice.
 */
export function forEachEngine(t: Test, suite: (t: Test, engine: ProductEngine) => Promise<void>): void {
  const engines = productEngines();
  const running = engines.filter((e) => e.skip === false).length;
  const budgetSeconds = Number(process.env.TAP_TIMEOUT);
  if (running > 1 && Number.isFinite(budgetSeconds) && budgetSeconds > 0) t.setTimeout(budgetSeconds * 1000 * running);
  for (const engine of engines) {
    t.test(`on the ${engine.name} engine`, { skip: engine.skip }, (t) => suite(t, engine));
  }
}
