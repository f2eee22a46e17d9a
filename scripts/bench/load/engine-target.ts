/**
 * Which engine a load run measures, and everything that differs between them: the server's
 * settings, where sipp sends the calls, and which processes count as "the server" (the Node
 * process alone on `embedded`; drachtio-server + FreeSWITCH + Node on `freeswitch`). The
 * freeswitch engine needs both servers already running here; without them the run stops at
 * once and says what is missing.
 */
import { pidsNamed, type ProcessGroup } from './proc-stat.ts';

/** The engines the load bench knows. */
export const LOAD_ENGINES = ['embedded', 'freeswitch'] as const;
export type LoadEngine = (typeof LOAD_ENGINES)[number];

/** How a run reaches and measures one engine. */
export interface EngineTarget {
  readonly engine: LoadEngine;
  /** Settings for the server process. */
  readonly env: Readonly<Record<string, string>>;
  /** sipp's target; null: the server's own SIP address from its banner. */
  readonly sip: { readonly host: string; readonly port: number } | null;
  /** The server's processes besides the Node process (found before the run). */
  readonly others: ProcessGroup['processes'];
}

/** Why the freeswitch engine cannot run here, or null. */
export function freeswitchMissing(env: NodeJS.ProcessEnv, found: { freeswitch: number[]; drachtio: number[] }): string | null {
  const missing: string[] = [];
  if ((env.FREESWITCH_ESL ?? '') === '') missing.push('FREESWITCH_ESL (host:port:password of its event socket)');
  if ((env.DRACHTIO_ADDRESS ?? '') === '') missing.push('DRACHTIO_ADDRESS (host:port:secret of its admin socket)');
  if ((env.DRACHTIO_SIP ?? '') === '') missing.push("DRACHTIO_SIP (host:port where drachtio-server takes SIP; sipp's target)");
  if (found.freeswitch.length === 0) missing.push('a running FreeSWITCH (no process named "freeswitch" here; it is not installed on this machine)');
  if (found.drachtio.length === 0) missing.push('a running drachtio-server (no process named "drachtio")');
  return missing.length === 0 ? null : `the freeswitch engine needs ${missing.join('; ')}. See docs/freeswitch.md.`;
}

function hostPort(text: string): { host: string; port: number } {
  const [host = '', port = ''] = text.split(':');
  const n = Number(port);
  if (host === '' || !Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`DRACHTIO_SIP must be host:port, not "${text}"`);
  return { host, port: n };
}

/** The target for `engine`; throws with the reason when it cannot run here. */
export function engineTarget(engine: LoadEngine, env: NodeJS.ProcessEnv = process.env): EngineTarget {
  if (engine === 'embedded') {
    // MEDIA_WORKERS in the bench's environment reaches the server (media worker threads).
    const workers = env.MEDIA_WORKERS === undefined ? {} : { MEDIA_WORKERS: env.MEDIA_WORKERS };
    return { engine, env: { MEDIA_ENGINE: 'embedded', SIP_LISTEN: '127.0.0.1:0', SIP_TCP: 'false', ...workers }, sip: null, others: [] };
  }
  const found = { freeswitch: pidsNamed('freeswitch'), drachtio: pidsNamed('drachtio') };
  const missing = freeswitchMissing(env, found);
  if (missing !== null) throw new Error(missing);
  return {
    engine,
    env: {
      MEDIA_ENGINE: 'freeswitch',
      FREESWITCH_ESL: env.FREESWITCH_ESL ?? '',
      DRACHTIO_ADDRESS: env.DRACHTIO_ADDRESS ?? '',
      ...(env.FREESWITCH_MEDIA_ADDRESS === undefined ? {} : { FREESWITCH_MEDIA_ADDRESS: env.FREESWITCH_MEDIA_ADDRESS }),
      ALLOW_DEFAULT_SECRETS: env.ALLOW_DEFAULT_SECRETS ?? 'false',
    },
    sip: hostPort(env.DRACHTIO_SIP ?? ''),
    others: [...found.freeswitch.map((pid) => ({ name: 'freeswitch', pid })), ...found.drachtio.map((pid) => ({ name: 'drachtio', pid }))],
  };
}
