import { AppError } from '../lib/errors.ts';
import { SETTINGS, type Config, type SettingSpec } from './settings.ts';

/**
 * Reads and validates every setting from `env`. Collects every bad value and throws one
 * `CONFIG_INVALID` error listing them all, one line per variable, so a misconfigured start
 * is fixed in one go.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec<unknown>][]) {
    const raw = env[spec.env];
    const text = raw === undefined || raw === '' ? spec.default : raw;
    if (text === undefined) {
      out[key] = undefined;
      continue;
    }
    try {
      out[key] = spec.parse(text);
    } catch (err) {
      problems.push(`${spec.env}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  // Checks that compare two settings run beside the single-value ones (each only when the
  // settings it compares parsed), so every problem is reported in the same run.
  problems.push(...crossChecks(out));
  const config = out as Config;
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
  return config;
}

function crossChecks(config: Partial<Config>): string[] {
  const problems: string[] = [];
  const { rtpPortMin, rtpPortMax } = config;
  if (rtpPortMin !== undefined && rtpPortMin % 2 !== 0) problems.push('RTP_PORT_MIN: must be even (RTP uses even ports)');
  if (rtpPortMin !== undefined && rtpPortMax !== undefined && rtpPortMin >= rtpPortMax) {
    problems.push('RTP_PORT_MIN: must be below RTP_PORT_MAX');
  }
  const { retentionMinMonths, retentionMaxMonths } = config;
  if (retentionMinMonths !== undefined && retentionMaxMonths !== undefined && retentionMinMonths > retentionMaxMonths) {
    problems.push('RETENTION_MIN_MONTHS: must not be above RETENTION_MAX_MONTHS');
  }
  const { demoParticipantPin, demoHostPin } = config;
  if (demoParticipantPin !== undefined && demoParticipantPin === demoHostPin) {
    problems.push('DEMO_HOST_PIN: must differ from DEMO_PARTICIPANT_PIN');
  }
  if (config.mediaEngine === 'freeswitch') {
    if (config.freeswitchEsl === undefined) problems.push('FREESWITCH_ESL: required when MEDIA_ENGINE=freeswitch');
    if (config.drachtioAddress === undefined) problems.push('DRACHTIO_ADDRESS: required when MEDIA_ENGINE=freeswitch');
  }
  return problems;
}
