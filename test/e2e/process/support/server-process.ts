/**
 * The server as an operator runs it: a child process (`npm start`, or node on `src/main.ts`)
 * with settings in its environment, a fresh data directory, SIP and HTTP on 127.0.0.1 port 0.
 * The bound addresses are read back from the start-up banner.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { spawnPeer, type PeerProcess } from '../../../support/process-runner.ts';

/** The repository root (where `package.json` is). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A fresh temporary directory, removed when `t` ends. */
export function tempDir(t: Test, prefix = 'dialbridge-proc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The environment of a server child: loopback, port 0, quiet logs, plus `extra`. */
export function serverEnv(dataDir: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  // 20000–27999: the product e2e files use fixed sub-ranges from 28000 up.
  const min = 20000 + Math.floor(Math.random() * 40) * 200;
  const max = min + 199;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TSX_DISABLE_CACHE: '1',
    DATA_DIR: dataDir,
    SIP_LISTEN: '127.0.0.1:0',
    SIP_TCP: 'false',
    HTTP_LISTEN: '127.0.0.1:0',
    RTP_PORT_MIN: String(min),
    RTP_PORT_MAX: String(max),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** How a test starts the server. */
export interface SpawnServerOptions {
  /** `npm start` (as an operator) or node on src/main.ts directly (default). */
  readonly launcher?: 'npm' | 'node';
  /** A command and arguments to run node under (setpriv, unshare …); node launcher only. */
  readonly prefix?: readonly string[];
  readonly timeoutMs?: number;
}

/** Spawns the server; stopped by PID (SIGTERM, then SIGKILL) when `t` ends if still running. */
export function spawnServer(t: Test, env: NodeJS.ProcessEnv, options: SpawnServerOptions = {}): PeerProcess {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const node = [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const [command = '', ...args] = options.launcher === 'npm' ? ['npm', 'start', '--silent'] : [...(options.prefix ?? []), ...node];
  const proc = spawnPeer(command, args, { cwd: REPO_ROOT, env, timeoutMs });
  t.teardown(async () => {
    if (proc.running) await proc.stop(2000);
  });
  return proc;
}

/** The addresses the banner printed. */
export interface BannerAddresses {
  readonly sip: { readonly host: string; readonly port: number };
  readonly httpBase: string;
}

/** Waits for the start-up banner and reads the bound SIP and HTTP addresses from it. */
export async function waitForBanner(proc: PeerProcess, timeoutMs = 30_000): Promise<BannerAddresses> {
  await proc.waitForOutput(/API:\s+http:\/\/\S+\/v1\/rooms/, timeoutMs);
  const sip = /Dial:\s+sip:[^@\s]+@([\d.]+):(\d+)/.exec(proc.stdout);
  const http = /API:\s+(http:\/\/[\d.]+:\d+)\/v1\/rooms/.exec(proc.stdout);
  if (sip?.[1] === undefined || sip[2] === undefined || http?.[1] === undefined) throw new Error(`no addresses in the banner: ${proc.stdout}`);
  return { sip: { host: sip[1], port: Number(sip[2]) }, httpBase: http[1] };
}

/** The PIDs of a process's children (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8').trim().split(/\s+/).filter((s) => s !== '').map(Number);
  } catch {
    return [];
  }
}

/** Whether a process with this PID exists (and is not a zombie). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The state is the field after the parenthesised command name; Z is a zombie.
    return !/\)\s+Z\s/.test(stat);
  } catch {
    return false;
  }
}

/** Polls until `pid` is gone, at most `timeoutMs`; resolves whether it is gone. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isRunning(pid);
}
