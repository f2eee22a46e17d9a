import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeUdpPort } from './free-port.ts';
import { spawnPeer, type PeerProcess } from './process-runner.ts';

/** Where the sipp scenarios of this repository live. */
export const SCENARIO_DIR = new URL('../scenarios/', import.meta.url).pathname;

/** Options for {@link startSipp}. */
export interface SippOptions {
  /** A scenario file name in test/scenarios (e.g. `uac-call.xml`), an absolute path, or a built-in (`sn: 'uas'`). */
  readonly scenario?: string;
  readonly sn?: 'uac' | 'uas';
  /** The remote host:port for a UAC (omit for a UAS). */
  readonly remote?: string;
  /** Local SIP port; 0 or omitted picks a free one. */
  readonly port?: number;
  /** Number of calls (-m); default 1. */
  readonly calls?: number;
  /** Global timeout in seconds (-timeout); default 30. */
  readonly timeoutSeconds?: number;
  readonly transport?: 'u1' | 't1';
  /** Request-URI user (-s). */
  readonly service?: string;
  /** Extra `-key name value` pairs. */
  readonly keys?: Readonly<Record<string, string>>;
  readonly extraArgs?: readonly string[];
}

/** What a sipp run produced. */
export interface SippResult {
  /** 0 every call succeeded, 1 some failed, 254 port in use, 255 fatal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Contents of the `-trace_err` file (unexpected messages), '' when none. */
  readonly errors: string;
}

/** A running sipp instance. */
export interface SippRun {
  readonly process: PeerProcess;
  /** The local SIP port sipp listens on. */
  readonly port: number;
  /** Resolves when sipp exits, with its code and messages. */
  readonly done: Promise<SippResult>;
  /** Kills sipp by PID and awaits it. */
  stop(): Promise<SippResult>;
}

/**
 * Starts sipp with `-i 127.0.0.1 -p <port> -ci 127.0.0.1 -cp <port> -m <n> -timeout <s>
 * -t u1|t1 -trace_err`, in a temp working directory (its logs go there).
 */
export async function startSipp(options: SippOptions): Promise<SippRun> {
  const port = options.port !== undefined && options.port !== 0 ? options.port : await freeUdpPort();
  const controlPort = await freeUdpPort();
  const cwd = mkdtempSync(join(tmpdir(), 'sipp-'));
  const args: string[] = [];
  if (options.remote !== undefined) args.push(options.remote);
  if (options.sn !== undefined) args.push('-sn', options.sn);
  if (options.scenario !== undefined) {
    args.push('-sf', options.scenario.startsWith('/') ? options.scenario : join(SCENARIO_DIR, options.scenario));
  }
  args.push(
    '-i', '127.0.0.1',
    '-p', String(port),
    '-ci', '127.0.0.1',
    '-cp', String(controlPort),
    '-m', String(options.calls ?? 1),
    '-timeout', `${options.timeoutSeconds ?? 30}s`,
    '-t', options.transport ?? 'u1',
    '-trace_err',
    '-nostdin',
  );
  if (options.service !== undefined) args.push('-s', options.service);
  for (const [k, v] of Object.entries(options.keys ?? {})) args.push('-key', k, v);
  args.push(...(options.extraArgs ?? []));
  const process = spawnPeer('sipp', args, { cwd, timeoutMs: ((options.timeoutSeconds ?? 30) + 10) * 1000 });
  const done = process.exited.then((exit) => {
    let errors = '';
    try {
      for (const f of readdirSync(cwd)) if (f.endsWith('_errors.log')) errors += readFileSync(join(cwd, f), 'utf8');
    } catch {
      // No error log: nothing unexpected happened.
    }
    rmSync(cwd, { recursive: true, force: true });
    return { code: exit.code, stdout: exit.stdout, stderr: exit.stderr, errors };
  });
  return {
    process,
    port,
    done,
    stop: async () => {
      await process.stop();
      return done;
    },
  };
}

/** Runs sipp to completion and returns its result. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  const run = await startSipp(options);
  return run.done;
}
