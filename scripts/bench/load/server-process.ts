/**
 * The server under load, started the way an operator starts it (`node --import tsx
 * src/main.ts`) as a child process, so its CPU and memory are read from /proc apart from the
 * load generator's. SIP and HTTP on 127.0.0.1 with ports picked at run time (read back from
 * the dial-in banner); RTP from a range the bench chooses. Stopped with SIGTERM and awaited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A running server. */
export interface ServerProcess {
  readonly pid: number;
  /** Where the server's own SIP listens (null on the freeswitch engine: drachtio takes the calls). */
  readonly sip: { readonly host: string; readonly port: number } | null;
  readonly httpBase: string;
  /** Ends the server (SIGTERM, then SIGKILL after `graceMs`) and waits for it. */
  stop(graceMs?: number): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));
const STARTUP_MS = 60_000;

/** Reads the SIP and HTTP addresses from the banner's `Dial:` and `API:` lines (null until both are there). */
export function parseBanner(text: string): { sip: { host: string; port: number } | null; httpBase: string } | null {
  const api = /API:\s+(http:\/\/[\d.]+:\d+)\/v1\/rooms/.exec(text);
  if (api?.[1] === undefined || !text.includes('Dial:')) return null;
  const dial = /Dial:\s+sip:[^@\s]+@([\d.]+):(\d+)/.exec(text);
  const sip = dial?.[1] === undefined || dial[2] === undefined ? null : { host: dial[1], port: Number(dial[2]) };
  return { sip, httpBase: api[1] };
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the product (`main`, default this checkout's src/main.ts; another checkout's for a
 * before/after comparison) with `env` (on top of this process's PATH and HOME only); its
 * output is copied to `logFile`.
 */
export async function startServerProcess(env: Readonly<Record<string, string>>, logFile: string, nodeArgs: readonly string[] = [], main = MAIN): Promise<ServerProcess> {
  const logStream = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  child.on('exit', () => logStream.end());
  child.stdout.on('data', (chunk: Buffer) => {
    if (out.length < 65_536) out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (err.length < 65_536) err += chunk.toString();
  });
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    const parsed = parseBanner(out);
    if (parsed !== null && child.pid !== undefined) {
      const pid = child.pid;
      return { pid, ...parsed, stop: (graceMs = 15_000) => stopChild(child, graceMs) };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child, 1000);
      throw new Error(`the server did not start: ${err.trim().split('\n').slice(-3).join(' | ') || 'no banner within 60 s'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
