/**
 * Baseline for the mixing benchmark: the same legs and feeder, but each leg is a bare
 * connected UDP socket that counts what arrives and sends one prebuilt 20 ms packet per tick
 * (no jitter buffer, codec, mixer or prompts). The difference to `benchMixing` is what the
 * media pipeline itself costs; the rest is Node's socket I/O on this machine.
 */
import { fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** One baseline run. */
export interface BaselineResult {
  readonly legs: number;
  readonly seconds: number;
  readonly cpuUsPerLegSecond: number;
}

/** Runs `legs` bare sockets for `seconds` (after a 1 s warm-up). */
export async function benchSocketBaseline(legs: number, seconds: number): Promise<BaselineResult> {
  const sockets: Socket[] = [];
  for (let i = 0; i < legs; i++) {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    s.on('message', () => undefined);
    s.on('error', () => undefined);
    sockets.push(s);
  }
  const feeder = fork(fileURLToPath(new URL('./rtp-feeder.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    feeder.send({ type: 'open', host: '127.0.0.1', ports: sockets.map((s) => s.address().port), talking: sockets.map(() => true) });
    const [ready] = (await once(feeder, 'message')) as [{ ports: number[] }];
    await Promise.all(sockets.map((s, i) => new Promise<void>((resolve) => { s.connect(ready.ports[i] ?? 0, '127.0.0.1', resolve); })));
    const packet = Buffer.alloc(172, 0xff);
    packet[0] = 0x80;
    const start = process.hrtime.bigint();
    let tick = 0n;
    const run = (): void => {
      for (const s of sockets) s.send(packet);
      tick++;
      const wait = Number(start + tick * 20_000_000n - process.hrtime.bigint()) / 1e6;
      timer = setTimeout(run, wait > 0 ? wait : 0);
    };
    run();
    feeder.send({ type: 'go' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    feeder.send({ type: 'stop' });
    await once(feeder, 'message');
    return { legs, seconds: Math.round(elapsed * 10) / 10, cpuUsPerLegSecond: Math.round((cpu.user + cpu.system) / (legs * elapsed)) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (feeder.exitCode === null && feeder.signalCode === null) {
      const exited = once(feeder, 'exit');
      feeder.kill('SIGTERM');
      await exited;
    }
    for (const s of sockets) s.close();
  }
}
