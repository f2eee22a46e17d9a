/** The FreeSWITCH engine: the engine port over drachtio-server and FreeSWITCH. */
import type { MediaEngine } from '../../ports/engine.ts';
import type { FreeswitchEngineOptions } from './freeswitch-engine-options.ts';
import { FreeswitchEngine } from './freeswitch-engine.ts';

export type { FreeswitchEngineOptions, SecretAddress } from './freeswitch-engine-options.ts';
export { freeswitchOptionsFromEnv, assertSecretsAllowed, DEFAULT_SECRETS } from './options-from-env.ts';
export type { FreeswitchEnv } from './options-from-env.ts';

/**
 * Builds the FreeSWITCH engine (not started). Throws `CONFIG_INVALID` when a secret is one of
 * the well-known defaults and `development` is not set.
 */
export function createFreeswitchEngine(options: FreeswitchEngineOptions): MediaEngine {
  return new FreeswitchEngine(options);
}
