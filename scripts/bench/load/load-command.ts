/**
 * `npm run bench -- load …`: parses and bounds the options, runs one load run per engine and
 * leg count (in that order), prints a line per run and writes the JSON and the plot.
 *
 *   npm run bench -- load --legs 100,200 --room-size 10 --talkers 3 [--engine embedded|freeswitch]
 *                         [--api-rps 50] [--rate 20] [--seconds 10] [--out docs/bench]
 *                         [--server-env NAME=value …] [--rtp-base 10000] [--keep] [--profile DIR]
 *                         [--server-main OTHER-CHECKOUT/src/main.ts]   # before/after comparisons
 *
 * Each run is followed by the bare-socket floor for the same legs (see README, Load benchmark).
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchSocketBaseline } from '../socket-baseline.ts';
import { LOAD_ENGINES, type LoadEngine } from './engine-target.ts';
import { runLoad } from './load-bench.ts';
import type { LoadResult, ProbeSummary } from './load-report.ts';
import { storeResult, timesFloor } from './load-results-file.ts';

/** The raw option strings (from node:util parseArgs). */
export interface LoadArgs {
  readonly legs?: string | undefined;
  readonly 'room-size'?: string | undefined;
  readonly talkers?: string | undefined;
  readonly engine?: string | undefined;
  readonly 'api-rps'?: string | undefined;
  readonly rate?: string | undefined;
  readonly seconds?: string | undefined;
  readonly out?: string | undefined;
  readonly 'server-env'?: string[] | undefined;
  readonly 'rtp-base'?: string | undefined;
  readonly keep?: boolean | undefined;
  readonly profile?: string | undefined;
  readonly 'server-main'?: string | undefined;
}

/** The bounded options of a load command. */
export interface LoadPlan {
  readonly engines: LoadEngine[];
  readonly legs: number[];
  readonly roomSize: number;
  readonly talkers: number;
  readonly rate: number;
  readonly seconds: number;
  readonly apiRps: number;
  readonly out: string;
  readonly serverEnv: Record<string, string>;
  readonly rtpBase: number;
  readonly keep: boolean;
  readonly profileDir: string | null;
  readonly serverMain: string | null;
}

const LIMITS = { legs: 2000, roomSize: 250, rate: 200, seconds: 60, apiRps: 1000 } as const;

function int(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${String(min)} to ${String(max)}, not "${text}"`);
  return n;
}

/** Checks the options; throws one clear message for the first bad one. */
export function planLoad(args: LoadArgs): LoadPlan {
  const engines = (args.engine ?? 'embedded').split(',').map((e) => {
    if (!(LOAD_ENGINES as readonly string[]).includes(e)) throw new Error(`--engine must be one of ${LOAD_ENGINES.join(', ')}, not "${e}"`);
    return e as LoadEngine;
  });
  const legs = (args.legs ?? '100').split(',').map((l) => int('legs', l, 100, 1, LIMITS.legs));
  const roomSize = int('room-size', args['room-size'], 10, 2, LIMITS.roomSize);
  const talkers = int('talkers', args.talkers, 3, 0, roomSize);
  const serverEnv: Record<string, string> = {};
  for (const pair of args['server-env'] ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--server-env takes NAME=value, not "${pair}"`);
    serverEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const rtpBase = int('rtp-base', args['rtp-base'], 10000, 1024, 60000);
  if (rtpBase % 2 !== 0) throw new Error('--rtp-base must be even');
  return {
    engines,
    legs,
    roomSize,
    talkers,
    rate: int('rate', args.rate, 20, 1, LIMITS.rate),
    seconds: int('seconds', args.seconds, 10, 2, LIMITS.seconds),
    apiRps: int('api-rps', args['api-rps'], 0, 0, LIMITS.apiRps),
    out: args.out ?? fileURLToPath(new URL('../../../docs/bench/', import.meta.url)),
    serverEnv,
    rtpBase,
    keep: args.keep ?? false,
    profileDir: args.profile ?? null,
    serverMain: args['server-main'] ?? null,
  };
}

function probe(p: ProbeSummary): string {
  return `p99 ${String(p.p99Ms)} ms, slowest ${String(p.maxMs)} ms, ${String(p.unanswered)} of ${String(p.sent)} unanswered`;
}

/** One line about a run. */
export function describe(r: LoadResult): string {
  const api = r.api === null ? '' : `; API ${String(r.api.requests)} req p50 ${String(r.api.p50Ms)} ms p99 ${String(r.api.p99Ms)} ms, ${String(r.api.cpuUsPerRequest)} µs CPU/req (main thread ${String(r.api.mainThreadCpuUsPerRequest)}), ${String(r.api.errors)} errors`;
  return (
    `${r.engine} ${String(r.legs)} offered: ${String(r.joined)} joined, ${String(r.joinFailures)} failed, ${String(r.refused503)} × 503, ` +
    `${String(r.server.cpuUsPerLegSecond)} µs CPU per leg-second (${String(r.server.cores)} cores; ≈ ${String(r.server.legsPerCoreAt50)} legs/core at 50 %), ` +
    `${String(r.server.rssKbPerLeg)} KiB RSS/leg, RTP loss ${String(r.rtp.lossPercent)} % max gap ${String(r.rtp.maxGapMs)} ms ` +
    `(${String(r.rtp.legsWithGapOver60Ms)} legs > 60 ms, ${String(r.rtp.legsSilent)} silent); generator ${String(r.generator.cpuUsPerLegSecond)} µs/leg-s ` +
    `(${String(r.generator.shareOfServer)} × server, its clock ${String(r.generator.maxClockLateMs)} ms late at worst)${api}; ` +
    `while joining: OPTIONS ${probe(r.responsiveness.options)}, GET /live ${probe(r.responsiveness.api)}`
  );
}

/** Runs the plan; prints and stores each result. */
export async function runLoadCommand(args: LoadArgs): Promise<void> {
  const plan = planLoad(args);
  let last = '';
  for (const engine of plan.engines) {
    for (const legs of plan.legs) {
      const load = loadavg()[0] ?? 0;
      console.log(`load: ${engine}, ${String(legs)} legs (machine load average ${load.toFixed(2)} on ${String(cpus().length)} cores)`);
      const result = await runLoad({ ...plan, engine, legs, log: (line) => console.log(line) });
      console.log(`  ${describe(result)}`);
      // This machine's speed drifts through the day (its bare-socket floor has read 438 and 752 µs
      // hours apart): each run is priced against the floor measured right after it, same legs.
      const floor = await benchSocketBaseline(Math.max(1, result.joined), plan.seconds);
      console.log(`  bare-socket floor for ${String(floor.legs)} legs: ${String(floor.cpuUsPerLegSecond)} µs CPU per leg-second (the server: ${timesFloor(result.server.cpuUsPerLegSecond, floor)})`);
      const stored = storeResult(plan.out, {
        ...result,
        floor: { legs: floor.legs, cpuUsPerLegSecond: floor.cpuUsPerLegSecond },
        measuredAt: new Date().toISOString(),
        machine: { cores: cpus().length, loadAverage1m: Math.round(load * 100) / 100 },
      });
      console.log(JSON.stringify({ load: result }));
      console.log(`  written: ${stored.json}, ${stored.svg}`);
      last = stored.table;
    }
  }
  console.log(`\nAll runs in ${plan.out} (the README's table):\n${last}`);
}
