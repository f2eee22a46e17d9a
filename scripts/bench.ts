/**
 * `npm run bench` — performance measurements of the embedded engine.
 *
 *   npm run bench                         # mixing: 100, 200, 400 legs, 10 s each, rooms of 10
 *   npm run bench -- --legs 100 --seconds 5 --room 10 --talkers 2   # 2 of every 10 talk
 *   npm run bench -- --baseline           # also bare sockets with the same traffic, for comparison
 *   npm run bench -- call-setup           # SIP call-setup rate (sipp against the engine)
 *   npm run bench -- dial-out --rate 20 --calls 200   # outbound legs at a fixed rate against a sipp UAS
 *   npm run bench -- all
 *   npm run bench -- load --legs 100 --room-size 10 --talkers 3 [--engine embedded|freeswitch] [--api-rps 50]
 *                                         # the whole join path through the real server (scripts/bench/load/)
 *
 * Bounded in count and time; loopback only. Results are printed as a table and as JSON.
 */
import { parseArgs } from 'node:util';
import { benchMixing, type MixingResult } from './bench/mixing.ts';
import { benchSocketBaseline } from './bench/socket-baseline.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    legs: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    room: { type: 'string', default: '10' },
    talkers: { type: 'string' },
    rate: { type: 'string' },
    calls: { type: 'string', default: '500' },
    baseline: { type: 'boolean', default: false },
    'room-size': { type: 'string' },
    engine: { type: 'string' },
    'api-rps': { type: 'string' },
    out: { type: 'string' },
    'server-env': { type: 'string', multiple: true },
    'rtp-base': { type: 'string' },
    keep: { type: 'boolean' },
    profile: { type: 'string' },
    'server-main': { type: 'string' },
  },
});

const which = positionals[0] ?? 'mixing';
const MAX_LEGS = 2000;
const MAX_SECONDS = 60;

async function runMixing(): Promise<void> {
  const legCounts = (values.legs ?? '100,200,400').split(',').map((s) => Math.min(MAX_LEGS, Math.max(1, Number.parseInt(s, 10) || 0)));
  const seconds = Math.min(MAX_SECONDS, Math.max(1, Number(values.seconds) || 10));
  const room = Math.max(2, Number.parseInt(values.room, 10) || 10);
  const talkers = values.talkers === undefined ? room : Math.max(0, Math.min(room, Number.parseInt(values.talkers, 10) || 0));
  const results: MixingResult[] = [];
  console.log(
    `mixing: legs ${legCounts.join('/')} in rooms of ${String(room)} with ${String(talkers)} talking, ${String(seconds)} s each (engine CPU only; feeder in a child process)`,
  );
  for (const legs of legCounts) {
    if (values.baseline) {
      const b = await benchSocketBaseline(legs, seconds);
      console.log(`  ${String(b.legs).padStart(4)} bare sockets (baseline): ${String(b.cpuUsPerLegSecond).padStart(5)} µs CPU per leg-second`);
    }
    const r = await benchMixing(legs, seconds, room, talkers);
    results.push(r);
    console.log(
      `  ${String(r.legs).padStart(4)} legs: ${String(r.cpuUsPerLegSecond).padStart(5)} µs CPU per leg-second ` +
        `(≈ ${String(r.legsPerCore)} legs/core at 100 %), tick lateness p50 ${r.tickLatenessP50Ms.toFixed(2)} ms ` +
        `p99 ${r.tickLatenessP99Ms.toFixed(2)} ms max ${r.tickLatenessMaxMs.toFixed(2)} ms, ` +
        `loss in ${(r.lossIn * 100).toFixed(2)} % out ${(r.lossOut * 100).toFixed(2)} %, ` +
        `empty frames ${(r.emptyFrames * 100).toFixed(2)} %`,
    );
  }
  console.log(JSON.stringify({ mixing: results }));
}

async function runCallSetup(): Promise<void> {
  // The SIP call-setup part lives in scripts/bench/call-setup.ts (owned by the SIP side); it is
  // imported lazily so the mixing bench runs even while the engine assembly is in progress.
  const { benchCallSetup } = (await import('./bench/call-setup.ts')) as {
    benchCallSetup: (rate: number, calls: number) => Promise<unknown>;
  };
  const result = await benchCallSetup(Number(values.rate ?? '50'), Number(values.calls));
  console.log(JSON.stringify({ callSetup: result }));
}

async function runDialOut(): Promise<void> {
  const { benchDialOut } = await import('./bench/dial-out.ts');
  const r = await benchDialOut(Number(values.rate), Number(values.calls));
  console.log(
    `dial-out: ${String(r.calls)} legs at ${String(r.rate)}/s against a sipp UAS: answered ${String(r.answered)}, failed ${String(r.failed)}, ` +
      `setup p50 ${r.setupP50Ms.toFixed(1)} ms p99 ${r.setupP99Ms.toFixed(1)} ms max ${r.setupMaxMs.toFixed(1)} ms, CPU ${r.cpuMsPerCall.toFixed(2)} ms per call`,
  );
  console.log(JSON.stringify({ dialOut: r }));
}

if (which === 'mixing' || which === 'all') await runMixing();
if (which === 'call-setup' || which === 'all') await runCallSetup();
if (which === 'dial-out' || which === 'all') await runDialOut();
if (which === 'load') {
  const { runLoadCommand } = await import('./bench/load/load-command.ts');
  try {
    await runLoadCommand(values);
  } catch (err) {
    console.error(`load: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
if (!['mixing', 'call-setup', 'dial-out', 'all', 'load'].includes(which)) {
  console.error(`unknown benchmark "${which}": use mixing, call-setup, dial-out, load or all`);
  process.exitCode = 2;
}
