/**
 * Mixing benchmark: N legs with real UDP sockets on 127.0.0.1 in bridges of `roomSize`,
 * fed 20 ms G.711 packets by a child process. Measures the engine process's CPU per
 * leg-second (process.cpuUsage), the media clock's tick lateness, and packet loss both ways.
 * Bounded in legs and time; loopback only.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Leg } from '../../src/ports/leg.ts';
import { mediaClock } from '../../src/engines/embedded/media/media-clock.ts';
import type { MediaChannel } from '../../src/engines/embedded/media/media-channel.ts';
import { createMediaService } from '../../src/engines/embedded/media/media-service.ts';
import { createMixerBridge } from '../../src/engines/embedded/media/mixer-bridge.ts';
import { RtpMediaChannel } from '../../src/engines/embedded/media/rtp-media-channel.ts';

/** One measured run. */
export interface MixingResult {
  readonly legs: number;
  readonly roomSize: number;
  /** Legs per room sending a tone (the rest send silence). */
  readonly talkers: number;
  readonly seconds: number;
  /** Engine CPU (user + system) per leg per second of audio, in µs. */
  readonly cpuUsPerLegSecond: number;
  /** Legs one core could carry at 100 % at this cost. */
  readonly legsPerCore: number;
  readonly tickLatenessP50Ms: number;
  readonly tickLatenessP99Ms: number;
  readonly tickLatenessMaxMs: number;
  /** Share of packets the feeder sent that the engine did not receive. */
  readonly lossIn: number;
  /** Share of packets the engine sent that the feeder did not receive. */
  readonly lossOut: number;
  /** Jitter-buffer frames with no audio (under-runs), as a share of all frames read. */
  readonly emptyFrames: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/**
 * Runs `legs` legs in rooms of `roomSize` for `seconds` (after a 1 s warm-up); in each room
 * the first `talkers` legs send a tone and the rest send silence.
 */
export async function benchMixing(legs: number, seconds: number, roomSize = 10, talkers = roomSize, portMin = 26000): Promise<MixingResult> {
  const service = createMediaService({ host: '127.0.0.1', portMin, portMax: portMin + 2 * legs + 400, mediaTimeoutMs: 0 });
  const channels: RtpMediaChannel[] = [];
  for (let i = 0; i < legs; i++) {
    const channel = await service.createChannel();
    if (!(channel instanceof RtpMediaChannel)) throw new Error('the media service made a foreign channel');
    channels.push(channel);
  }
  const feeder = fork(fileURLToPath(new URL('./rtp-feeder.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    feeder.send({ type: 'open', host: '127.0.0.1', ports: channels.map((c) => c.localPort), talking: channels.map((_c, i) => i % roomSize < talkers) });
    const [ready] = (await once(feeder, 'message')) as [{ ports: number[] }];
    channels.forEach((c, i) => {
      c.update({ remoteAddress: '127.0.0.1', remotePort: ready.ports[i] ?? 0, codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, ptimeMs: 20, direction: 'sendrecv' });
      c.confirm();
    });
    const byId = new Map<string, MediaChannel>(channels.map((c) => [c.id, c]));
    const bridges = [];
    for (let r = 0; r * roomSize < legs; r++) {
      const bridge = createMixerBridge(`bench-${String(r)}`, (leg) => byId.get(leg.id));
      for (const c of channels.slice(r * roomSize, (r + 1) * roomSize)) {
        // The bridge only reads the leg's id and closed flag.
        await bridge.add({ id: c.id, closed: false } as unknown as Leg);
      }
      bridges.push(bridge);
    }
    feeder.send({ type: 'go' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const empty0 = channels.reduce((s, c) => s + c.jitter.emptyFrames, 0);
    const ticks0 = mediaClock.ticks;
    mediaClock.resetStats();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const ticks = mediaClock.ticks - ticks0;
    const lateCount = Math.min(mediaClock.latenessCount, mediaClock.lateness.length);
    const late = Float64Array.from(mediaClock.lateness.subarray(0, lateCount)).sort();
    const emptyMeasured = channels.reduce((s, c) => s + c.jitter.emptyFrames, 0) - empty0;
    feeder.send({ type: 'stop' });
    const [stats] = (await once(feeder, 'message')) as [{ sent: number; received: number }];
    const totalSent = channels.reduce((s, c) => s + c.stats.packetsSent, 0);
    const totalReceived = channels.reduce((s, c) => s + c.stats.packetsReceived, 0);
    for (const b of bridges) await b.close();
    const cpuUs = cpu.user + cpu.system;
    const perLegSecond = cpuUs / (legs * elapsed);
    return {
      legs,
      roomSize,
      talkers: Math.min(talkers, roomSize),
      seconds: Math.round(elapsed * 10) / 10,
      cpuUsPerLegSecond: Math.round(perLegSecond),
      legsPerCore: Math.round(1e6 / perLegSecond),
      tickLatenessP50Ms: Math.round(percentile(late, 0.5) / 10) / 100,
      tickLatenessP99Ms: Math.round(percentile(late, 0.99) / 10) / 100,
      tickLatenessMaxMs: Math.round((late[late.length - 1] ?? 0) / 10) / 100,
      lossIn: stats.sent === 0 ? 0 : Math.max(0, 1 - totalReceived / stats.sent),
      lossOut: totalSent === 0 ? 0 : Math.max(0, 1 - stats.received / totalSent),
      emptyFrames: ticks === 0 ? 0 : emptyMeasured / (ticks * legs),
    };
  } finally {
    if (feeder.exitCode === null && feeder.signalCode === null) {
      const exited = once(feeder, 'exit');
      feeder.kill('SIGTERM');
      await exited;
    }
    await service.close();
  }
}
