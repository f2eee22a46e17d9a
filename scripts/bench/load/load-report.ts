/**
 * The load benchmark's arithmetic, apart from any I/O so it can be tested: from what was
 * counted during the steady window to the figures the README table shows.
 */
import type { ProbeCounts, ResponsivenessRaw } from './responsiveness-probe.ts';

/** Per-leg RTP counts taken by the callers during the window. */
export interface LegRtpCounts {
  /** Packets that arrived. */
  readonly received: number;
  /** Packets the sender's sequence numbers say were sent (highest − lowest + 1); 0 when none arrived. */
  readonly expected: number;
  /** Largest time between two arrivals (or from the window's start to the first), ms. */
  readonly maxGapMs: number;
}

/** What one run measured, before any division. */
export interface LoadRaw {
  readonly engine: string;
  /** Server settings the run set away from the product's defaults (media workers, admission limits). */
  readonly settings: Readonly<Record<string, string>>;
  /** Calls offered. */
  readonly legs: number;
  readonly roomSize: number;
  readonly talkers: number;
  /** Calls per second sipp placed them at. */
  readonly callRate: number;
  /** Legs in a room (state joined) when the window started. */
  readonly joined: number;
  /** Calls refused with 503 before they were answered. */
  readonly refused503: number;
  /** Calls refused with another final status. */
  readonly refusedOther: number;
  /** Calls sipp counted as failed (no answer, timeout, unexpected message). */
  readonly sippFailed: number;
  /** Length of the media window, s. */
  readonly windowSeconds: number;
  /** Server CPU during the media window, µs, by process name. */
  readonly serverCpuUs: Readonly<Record<string, number>>;
  /** Load generator CPU during the media window, µs, by process name. */
  readonly generatorCpuUs: Readonly<Record<string, number>>;
  /** How late the callers' own 20 ms clock ran at worst in the media window, ms (their stall, seen as a gap on every leg). */
  readonly generatorClockLateMs: number;
  readonly serverRssKbIdle: number;
  readonly serverRssKbLoaded: number;
  /** Legs the callers answered for in the window (got RTP before it). */
  readonly rtp: readonly LegRtpCounts[];
  /** The API window, when `--api-rps` was given. */
  readonly api: ApiRaw | null;
  /** SIP OPTIONS and GET /live probes while the calls were placed and walked the IVR. */
  readonly responsiveness: ResponsivenessRaw;
}

/** The API window: the same media load plus paced GET /live requests. */
export interface ApiRaw {
  readonly rps: number;
  readonly windowSeconds: number;
  /** Latencies of the answered requests, ms. */
  readonly latenciesMs: readonly number[];
  /** Requests that failed or answered other than 200. */
  readonly errors: number;
  /** Server CPU during the API window, µs. */
  readonly serverCpuUs: number;
  /** The media alone once more, right after the API window: its length (s) and server CPU (µs). */
  readonly mediaAfter: { readonly seconds: number; readonly cpuUs: number };
  /** The server's main thread alone in the media window, the API window and the window after, µs. */
  readonly mainThread: { readonly mediaUs: number; readonly apiUs: number; readonly afterUs: number };
}

/** How one kind of probe fared while the calls came in. */
export interface ProbeSummary {
  readonly sent: number;
  /** Probes without an answer within the probe's timeout (2 s). */
  readonly unanswered: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The figures of one run, as written to JSON and shown in the table. */
export interface LoadResult {
  readonly engine: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly legs: number;
  readonly roomSize: number;
  readonly talkers: number;
  readonly callRate: number;
  readonly joined: number;
  readonly joinFailures: number;
  readonly refused503: number;
  readonly refusedOther: number;
  /** Calls neither answered nor refused (sipp's failures: timeouts, unexpected messages). */
  readonly unanswered: number;
  readonly windowSeconds: number;
  readonly server: {
    readonly cpuUsPerLegSecond: number;
    /** Share of one core the server used during the window. */
    readonly cores: number;
    readonly legsPerCoreAt50: number;
    readonly rssKbPerLeg: number;
    readonly cpuUsByProcess: Readonly<Record<string, number>>;
  };
  readonly rtp: {
    readonly legsMeasured: number;
    /** Answered legs that heard nothing at all in the window (hung up, or media stopped); not in the loss. */
    readonly legsSilent: number;
    readonly lossPercent: number;
    readonly maxGapMs: number;
    readonly legsWithGapOver60Ms: number;
  };
  readonly api: {
    readonly rps: number;
    readonly requests: number;
    readonly errors: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** Server CPU of the API window minus the media's alone (the windows before and after it, scaled to the same length), per request. */
    readonly cpuUsPerRequest: number;
    /**
     * The same for the main thread alone. With MEDIA_WORKERS ≥ 1 the media runs elsewhere and
     * the main thread is where a request is answered, so this is the request's cost without
     * the media's own drift between windows in it.
     */
    readonly mainThreadCpuUsPerRequest: number;
  } | null;
  /** Whether the server stayed responsive while the calls were placed (probes 4 per second). */
  readonly responsiveness: { readonly options: ProbeSummary; readonly api: ProbeSummary };
  readonly generator: {
    readonly cpuUsPerLegSecond: number;
    readonly shareOfServer: number;
    readonly cpuUsByProcess: Readonly<Record<string, number>>;
    /** The callers' own worst clock lateness in the window, ms: a gap up to this long may be theirs. */
    readonly maxClockLateMs: number;
  };
}

/** Nearest-rank percentile of `values` (0 for none); `p` in 0…1. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

/** Counts, p99 and the slowest answer of one kind of probe. */
export function probeSummary(p: ProbeCounts): ProbeSummary {
  return {
    sent: p.sent,
    unanswered: Math.max(0, p.sent - p.latenciesMs.length),
    p99Ms: round(percentile(p.latenciesMs, 0.99), 2),
    maxMs: round(p.latenciesMs.reduce((a, b) => Math.max(a, b), 0), 2),
  };
}

/** CPU µs per leg per second of audio (0 when nothing ran). */
export function cpuPerLegSecond(cpuUs: number, legs: number, seconds: number): number {
  return legs <= 0 || seconds <= 0 ? 0 : cpuUs / (legs * seconds);
}

/** How many legs one core carries at `share` of its time, at this per-leg cost. */
export function legsPerCore(cpuUsPerLegSec: number, share = 0.5): number {
  return cpuUsPerLegSec <= 0 ? 0 : Math.floor((share * 1e6) / cpuUsPerLegSec);
}

/** Loss over the legs that heard anything, in percent of what was expected, and the largest gap. */
export function rtpSummary(legs: readonly LegRtpCounts[]): LoadResult['rtp'] {
  let expected = 0;
  let received = 0;
  let maxGap = 0;
  let over60 = 0;
  let silent = 0;
  for (const leg of legs) {
    if (leg.received === 0) {
      silent++;
      continue;
    }
    expected += leg.expected;
    received += Math.min(leg.received, leg.expected);
    maxGap = Math.max(maxGap, leg.maxGapMs);
    if (leg.maxGapMs > 60) over60++;
  }
  return {
    legsMeasured: legs.length - silent,
    legsSilent: silent,
    lossPercent: expected === 0 ? 0 : round(((expected - received) / expected) * 100, 3),
    maxGapMs: round(maxGap, 1),
    legsWithGapOver60Ms: over60,
  };
}

/**
 * What one API request cost the server: the CPU of the API window less what the media alone
 * cost (in the windows around it, scaled to the API window's length), over the requests answered.
 */
export function cpuPerRequest(apiWindowCpuUs: number, apiSeconds: number, mediaCpuUs: number, mediaSeconds: number, requests: number): number {
  if (requests <= 0 || mediaSeconds <= 0) return 0;
  return Math.max(0, (apiWindowCpuUs - (mediaCpuUs * apiSeconds) / mediaSeconds) / requests);
}

function sum(values: Readonly<Record<string, number>>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The figures of a run from its raw counts. */
export function summarise(raw: LoadRaw): LoadResult {
  const serverCpu = sum(raw.serverCpuUs);
  const generatorCpu = sum(raw.generatorCpuUs);
  const perLeg = cpuPerLegSecond(serverCpu, raw.joined, raw.windowSeconds);
  const api = raw.api;
  return {
    engine: raw.engine,
    settings: raw.settings,
    legs: raw.legs,
    roomSize: raw.roomSize,
    talkers: raw.talkers,
    callRate: raw.callRate,
    joined: raw.joined,
    joinFailures: Math.max(0, raw.legs - raw.joined - raw.refused503 - raw.refusedOther),
    refused503: raw.refused503,
    refusedOther: raw.refusedOther,
    unanswered: raw.sippFailed,
    windowSeconds: round(raw.windowSeconds, 1),
    server: {
      cpuUsPerLegSecond: round(perLeg),
      cores: raw.windowSeconds <= 0 ? 0 : round(serverCpu / (raw.windowSeconds * 1e6), 3),
      legsPerCoreAt50: legsPerCore(perLeg),
      rssKbPerLeg: raw.joined <= 0 ? 0 : round(Math.max(0, raw.serverRssKbLoaded - raw.serverRssKbIdle) / raw.joined, 1),
      cpuUsByProcess: raw.serverCpuUs,
    },
    rtp: rtpSummary(raw.rtp),
    api:
      api === null
        ? null
        : {
            rps: api.rps,
            requests: api.latenciesMs.length,
            errors: api.errors,
            p50Ms: round(percentile(api.latenciesMs, 0.5), 2),
            p99Ms: round(percentile(api.latenciesMs, 0.99), 2),
            cpuUsPerRequest: round(cpuPerRequest(api.serverCpuUs, api.windowSeconds, serverCpu + api.mediaAfter.cpuUs, raw.windowSeconds + api.mediaAfter.seconds, api.latenciesMs.length)),
            mainThreadCpuUsPerRequest: round(
              cpuPerRequest(api.mainThread.apiUs, api.windowSeconds, api.mainThread.mediaUs + api.mainThread.afterUs, raw.windowSeconds + api.mediaAfter.seconds, api.latenciesMs.length),
            ),
          },
    responsiveness: { options: probeSummary(raw.responsiveness.options), api: probeSummary(raw.responsiveness.api) },
    generator: {
      cpuUsPerLegSecond: round(cpuPerLegSecond(generatorCpu, raw.joined, raw.windowSeconds)),
      shareOfServer: serverCpu === 0 ? 0 : round(generatorCpu / serverCpu, 2),
      cpuUsByProcess: raw.generatorCpuUs,
      maxClockLateMs: round(raw.generatorClockLateMs, 1),
    },
  };
}
