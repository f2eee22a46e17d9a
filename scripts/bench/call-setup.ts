/**
 * Call-setup benchmark: sipp's built-in UAC places bounded calls at a fixed rate against the
 * embedded engine, which answers each (full SDP negotiation and an RTP port per leg) and
 * takes the BYE. Reports achieved calls per second, failures, and CPU per call.
 *
 * Bounded in count and time; loopback only; ports chosen at run time.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedEngine } from '../../src/engines/embedded/index.ts';

/** One measured run. */
export interface CallSetupResult {
  readonly rate: number;
  readonly calls: number;
  readonly successful: number;
  readonly failed: number;
  readonly elapsedSeconds: number;
  readonly achievedCps: number;
  readonly cpuMsPerCall: number;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  s.close();
  return port;
}

function lastCsvRow(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(header.map((h, i) => [h, last[i] ?? '']));
}

/** Runs `calls` calls at `rate` per second (at most `limit` concurrent) and measures. */
export async function benchCallSetup(rate: number, calls: number, limit = 500): Promise<CallSetupResult> {
  const engine = createEmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, tcp: false, rtpPortMin: 20000, rtpPortMax: 29998, mediaTimeoutMs: 0 });
  engine.events.on('offer', (call) => {
    call.answer().catch(() => undefined);
  });
  await engine.start();
  const sip = engine.sipAddress;
  if (!sip) throw new Error('engine has no SIP address');
  const dir = mkdtempSync(join(tmpdir(), 'bench-setup-'));
  const stats = join(dir, 'stats.csv');
  const [localPort, controlPort] = [await freeUdpPort(), await freeUdpPort()];
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const args = ['-sn', 'uac', '-i', '127.0.0.1', '-p', String(localPort), '-ci', '127.0.0.1', '-cp', String(controlPort),
    '-r', String(rate), '-m', String(calls), '-l', String(limit), '-d', '0', '-nostdin', '-timeout', '60s',
    '-trace_stat', '-stf', stats, '-fd', '1', `${sip.host}:${String(sip.port)}`, '-s', '1000'];
  const code = await new Promise<number>((resolve) => {
    const child = spawn('sipp', args, { stdio: 'ignore' });
    child.on('exit', (c) => { resolve(c ?? -1); });
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  await engine.close();
  const row = lastCsvRow(stats);
  rmSync(dir, { recursive: true, force: true });
  const successful = Number(row['SuccessfulCall(C)'] ?? 0);
  const failed = Number(row['FailedCall(C)'] ?? 0);
  if (code !== 0 && successful === 0) throw new Error(`sipp exited ${String(code)} with no successful call`);
  return {
    rate,
    calls,
    successful,
    failed,
    elapsedSeconds: elapsed,
    achievedCps: successful / elapsed,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, successful),
  };
}
