import { AppError } from '../../lib/errors.ts';
import type { FreeswitchEngineOptions, SecretAddress } from './freeswitch-engine-options.ts';

/** The environment values the FreeSWITCH engine is built from (read by `src/config`). */
export interface FreeswitchEnv {
  readonly FREESWITCH_ESL?: string;
  readonly DRACHTIO_ADDRESS?: string;
  readonly FREESWITCH_MEDIA_ADDRESS?: string;
}

/**
 * Parses `host:port:secret`. The secret is everything after the second colon (it may contain
 * colons); IPv6 hosts are written in brackets: `[::1]:8021:secret`.
 */
export function parseSecretAddress(name: string, value: string): SecretAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5}):(.+)$/.exec(value.trim());
  if (!match) {
    throw new AppError('CONFIG_INVALID', `${name}: expected host:port:secret, got "${redact(value)}"`, {
      details: { setting: name },
    });
  }
  const port = Number(match[3]);
  if (port < 1 || port > 65535) {
    throw new AppError('CONFIG_INVALID', `${name}: port ${String(port)} is out of range 1-65535`, {
      details: { setting: name },
    });
  }
  return { host: match[1] ?? match[2] ?? '', port, secret: match[4] ?? '' };
}

/** Parses `host` or `host:port` (port 0 or absent: pick a free port). */
export function parseMediaAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(value.trim());
  const port = Number(match?.[3] ?? '0');
  if (!match || port > 65535) {
    throw new AppError('CONFIG_INVALID', `FREESWITCH_MEDIA_ADDRESS: expected host or host:port, got "${value}"`, {
      details: { setting: 'FREESWITCH_MEDIA_ADDRESS' },
    });
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

/**
 * Builds engine options from the environment: `null` when FREESWITCH_ESL and DRACHTIO_ADDRESS
 * are both unset (the engine is not configured); throws `CONFIG_INVALID` when one is missing
 * or malformed.
 */
export function freeswitchOptionsFromEnv(env: FreeswitchEnv): FreeswitchEngineOptions | null {
  const esl = env.FREESWITCH_ESL?.trim() ?? '';
  const drachtio = env.DRACHTIO_ADDRESS?.trim() ?? '';
  if (esl === '' && drachtio === '') return null;
  if (esl === '' || drachtio === '') {
    const missing = esl === '' ? 'FREESWITCH_ESL' : 'DRACHTIO_ADDRESS';
    throw new AppError('CONFIG_INVALID', `${missing}: required when the other FreeSWITCH setting is set`, {
      details: { setting: missing },
    });
  }
  const media = env.FREESWITCH_MEDIA_ADDRESS?.trim() ?? '';
  return {
    esl: parseSecretAddress('FREESWITCH_ESL', esl),
    drachtio: parseSecretAddress('DRACHTIO_ADDRESS', drachtio),
    ...(media === '' ? {} : { mediaListen: parseMediaAddress(media) }),
  };
}

/** The well-known defaults shipped by FreeSWITCH and drachtio-server. */
export const DEFAULT_SECRETS = { esl: 'ClueCon', drachtio: 'cymru' } as const;

/**
 * Refuses the well-known default secrets unless `development` is set: anyone who can reach
 * the event socket or the drachtio admin port with them controls every call.
 */
export function assertSecretsAllowed(options: FreeswitchEngineOptions): void {
  if (options.development === true) return;
  const problems: string[] = [];
  if (options.esl.secret === DEFAULT_SECRETS.esl) {
    problems.push('FREESWITCH_ESL uses FreeSWITCH\'s default password "ClueCon"');
  }
  if (options.drachtio.secret === DEFAULT_SECRETS.drachtio) {
    problems.push('DRACHTIO_ADDRESS uses drachtio-server\'s default secret "cymru"');
  }
  if (problems.length > 0) {
    throw new AppError(
      'CONFIG_INVALID',
      `${problems.join('; ')}: set your own secrets, or ALLOW_DEFAULT_SECRETS=true for development`,
      { details: { settings: problems.length } },
    );
  }
}

function redact(value: string): string {
  // Never echo a secret back into logs: keep what precedes the second colon.
  const parts = value.split(':');
  return parts.length > 2 ? `${parts.slice(0, 2).join(':')}:…` : value;
}
