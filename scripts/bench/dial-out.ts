/**
 * Dial-out benchmark: the embedded engine places N outbound legs at a fixed rate against
 * sipp's built-in UAS (`-sn uas`: 180, 200, waits for BYE), each through the port's
 * `dial()` — INVITE, SDP offer, an RTP port — and hangs up at once. Reports setup time
 * (dial() called → leg answered) p50/p99/max, failures, and engine CPU per call.
 *
 * Bounded in count and time; loopback only; ports chosen at run time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createEmbeddedEngine } from '../../src/engines/embedded/index.ts';

/** One measured run. */
export interface DialOutResult {
  readonly rate: number;
  readonly calls: number;
  readonly answered: number;
  readonly failed: number;
  readonly setupP50Ms: number;
  readonly setupP99Ms: number;
  readonly setupMaxMs: number;
  readonly cpuMsPerCall: number;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  s.close();
  return port;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => { r(); }));
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => { r(false); }, 3000))]);
  if (!done) child.kill('SIGKILL');
}

/** Places `calls` dials at `rate` per second (at most 2000 calls, 200/s) and measures. */
export async function benchDialOut(rate: number, calls: number): Promise<DialOutResult> {
  const n = Math.min(2000, Math.max(1, Math.floor(calls)));
  const r = Math.min(200, Math.max(1, rate));
  const [uasPort, controlPort] = [await freeUdpPort(), await freeUdpPort()];
  const sipp = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(uasPort), '-ci', '127.0.0.1', '-cp', String(controlPort), '-nostdin', '-timeout', '120s'], { stdio: 'ignore' });
  await new Promise((res) => setTimeout(res, 500));
  const engine = createEmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, tcp: false, rtpPortMin: 40000, rtpPortMax: 49998, mediaTimeoutMs: 0 });
  await engine.start();
  const setups: number[] = [];
  let failed = 0;
  const cpuBefore = process.cpuUsage();
  const dials: Promise<void>[] = [];
  try {
    const started = Date.now();
    for (let i = 0; i < n; i++) {
      const due = started + (i * 1000) / r;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const t0 = process.hrtime.bigint();
      dials.push(
        engine.dial({ target: `sip:+4930${String(1000000 + i)}@127.0.0.1:${String(uasPort)}`, callerId: '+4930999000', ringTimeoutMs: 10_000 }).then(
          async (leg) => {
            setups.push(Number(process.hrtime.bigint() - t0) / 1e6);
            await leg.hangup('bench').catch(() => undefined);
          },
          () => {
            failed++;
          },
        ),
      );
    }
    await Promise.race([Promise.allSettled(dials), new Promise((res) => setTimeout(res, 60_000))]);
  } finally {
    await engine.close().catch(() => undefined);
    await stop(sipp);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = [...setups].sort((a, b) => a - b);
  return {
    rate: r,
    calls: n,
    answered: setups.length,
    failed,
    setupP50Ms: Number(percentile(sorted, 50).toFixed(2)),
    setupP99Ms: Number(percentile(sorted, 99).toFixed(2)),
    setupMaxMs: Number((sorted.at(-1) ?? 0).toFixed(2)),
    cpuMsPerCall: Number(((cpu.user + cpu.system) / 1000 / n).toFixed(3)),
  };
}
