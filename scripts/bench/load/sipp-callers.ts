/**
 * sipp as the load callers' signalling: writes the generated scenario and the injection file
 * into a work directory, places `calls` calls at `rate` per second (all may be up at once),
 * and reads the outcomes back from its action log. Bound to 127.0.0.1 (SIP, control and
 * media sockets), with a global timeout; killed by PID and awaited on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort } from '../../../test/support/free-port.ts';
import { countOutcomes, injectionFile, loadScenario } from './sipp-scenario.ts';

/** A running sipp. */
export interface SippCallers {
  readonly pid: number;
  /** Outcomes logged so far. */
  outcomes(): ReturnType<typeof countOutcomes>;
  /** Resolves when sipp has exited (or was killed after `timeoutMs`). */
  finish(timeoutMs: number): Promise<void>;
  /** Kills sipp now (a run that failed part-way) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of {@link startSippCallers}. */
export interface SippCallersOptions {
  readonly dir: string;
  readonly target: { readonly host: string; readonly port: number };
  readonly serviceNumber: string;
  readonly rtpPorts: readonly number[];
  readonly rate: number;
  /** Longest an answered call is held before sipp hangs up itself. */
  readonly holdMs: number;
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Starts sipp; throws when it is not installed. */
export async function startSippCallers(o: SippCallersOptions): Promise<SippCallers> {
  const scenario = join(o.dir, 'load-uac.xml');
  const inf = join(o.dir, 'callers.csv');
  const log = join(o.dir, 'outcomes.log');
  writeFileSync(scenario, loadScenario(o.holdMs));
  writeFileSync(inf, injectionFile(o.rtpPorts, (i) => `+4930777${String(i).padStart(5, '0')}`));
  const [sipPort, controlPort, mediaPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
  const calls = String(o.rtpPorts.length);
  const args = [
    '-sf', scenario, '-inf', inf, '-s', o.serviceNumber,
    '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mediaPort), '-ci', '127.0.0.1', '-cp', String(controlPort),
    '-r', String(o.rate), '-m', calls, '-l', calls, '-nostdin', '-aa',
    '-timeout', `${String(Math.ceil(o.holdMs / 1000) + 60)}s`, '-trace_logs', '-log_file', log,
    `${o.target.host}:${String(o.target.port)}`,
  ];
  const child = spawn('sipp', args, { cwd: o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 8192) stderr += c.toString();
  });
  const spawned = await Promise.race([once(child, 'spawn').then(() => true), once(child, 'error').then(() => false)]);
  if (!spawned || child.pid === undefined) throw new Error('sipp is not installed (apt-get install sip-tester)');
  const pid = child.pid;
  return {
    pid,
    outcomes: () => countOutcomes(existsSync(log) ? readFileSync(log, 'utf8') : ''),
    async finish(timeoutMs) {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => void killAndWait(child), timeoutMs);
        await once(child, 'exit');
        clearTimeout(timer);
      }
      if (child.exitCode !== null && child.exitCode > 1 && stderr !== '') process.stderr.write(`sipp: ${stderr.trim().split('\n').slice(-2).join(' | ')}\n`);
    },
    stop: () => killAndWait(child),
  };
}
