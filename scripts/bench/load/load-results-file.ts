/**
 * The load results kept beside the README's plot: one JSON file holding the latest run per
 * engine and settings, leg count, call rate and API rate (a new run replaces the old one of the
 * same key), and the plot's lines drawn from it — one per engine and settings, and one per those
 * and API rate when the API was loaded.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult, ProbeSummary } from './load-report.ts';
import { renderLoadPlot, type PlotSeries } from './load-plot.ts';

/** A result with when and where it was measured (runs stored before the probe, the settings and the floor lack them). */
export interface StoredResult extends Omit<LoadResult, 'responsiveness' | 'settings'> {
  readonly responsiveness?: LoadResult['responsiveness'];
  readonly settings?: LoadResult['settings'];
  /** This machine's bare-socket floor for the same legs, measured right after the run. */
  readonly floor?: SocketFloor;
  readonly measuredAt: string;
  /** The 1-minute load average when the run started, and the cores, to judge how quiet the machine was. */
  readonly machine: { readonly cores: number; readonly loadAverage1m: number };
}

/** The engine and the settings the run changed, e.g. `embedded, MEDIA_WORKERS=2`. */
function setupOf(r: StoredResult): string {
  const settings = Object.entries(r.settings ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return [r.engine, ...settings.map(([k, v]) => `${k}=${v}`)].join(', ');
}

function keyOf(r: StoredResult): string {
  return `${setupOf(r)}/${String(r.legs)}@${String(r.callRate)}/${String(r.api?.rps ?? 0)}`;
}

/** `results` with `result` added (replacing the one with the same setup, legs, call rate and API rate), in a stable order. */
export function mergeResult(results: readonly StoredResult[], result: StoredResult): StoredResult[] {
  const kept = results.filter((r) => keyOf(r) !== keyOf(result));
  return [...kept, result].sort((a, b) => keyOf(a).localeCompare(keyOf(b), 'en', { numeric: true }));
}

/** The lines of the plot: media-only runs per setup, and API-loaded runs per setup and rate. */
export function plotSeries(results: readonly StoredResult[]): PlotSeries[] {
  const byLabel = new Map<string, { legs: number; cpuUsPerLegSecond: number }[]>();
  for (const r of results) {
    const label = r.api === null ? setupOf(r) : `${setupOf(r)}, ${String(r.api.rps)} GET /live/s`;
    const cpu = r.api === null ? r.server.cpuUsPerLegSecond : r.server.cpuUsPerLegSecond + (r.api.cpuUsPerRequest * r.api.rps) / Math.max(1, r.joined);
    const points = byLabel.get(label) ?? [];
    points.push({ legs: r.joined, cpuUsPerLegSecond: Math.round(cpu) });
    byLabel.set(label, points);
  }
  return [...byLabel.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, points]) => ({ label, points: points.sort((a, b) => a.legs - b.legs) }));
}

/** What bare connected UDP sockets cost on this machine for the same packets, measured right after a run. */
export interface SocketFloor {
  readonly legs: number;
  readonly cpuUsPerLegSecond: number;
}

/** A per-leg cost as a multiple of the floor, e.g. `1.67 × 752`; `—` without a floor. */
export function timesFloor(cpuUsPerLegSecond: number, floor: SocketFloor | undefined): string {
  if (floor === undefined || floor.cpuUsPerLegSecond <= 0) return '—';
  return `${(cpuUsPerLegSecond / floor.cpuUsPerLegSecond).toFixed(2)} × ${String(floor.cpuUsPerLegSecond)}`;
}

function probeCell(p: ProbeSummary): string {
  return `${String(p.maxMs)} ms, ${String(p.unanswered)} of ${String(p.sent)}`;
}

/** The README's table of `results` (Markdown), one row per run. */
export function resultsTable(results: readonly StoredResult[]): string {
  const rows = results.map((r) => {
    const api = r.api === null ? '—' : `${String(r.api.rps)}/s: p50 ${String(r.api.p50Ms)} ms, p99 ${String(r.api.p99Ms)} ms, ${String(r.api.cpuUsPerRequest)} µs CPU/req`;
    const probes = r.responsiveness === undefined ? '—' : `${probeCell(r.responsiveness.options)} / ${probeCell(r.responsiveness.api)}`;
    return `| ${setupOf(r)} | ${String(r.legs)} @ ${String(r.callRate)}/s | ${String(r.joined)} | ${String(r.refused503)} | ${String(r.joinFailures)} | ${String(r.server.cpuUsPerLegSecond)} | ${timesFloor(r.server.cpuUsPerLegSecond, r.floor)} | ${String(r.server.legsPerCoreAt50)} | ${String(r.server.rssKbPerLeg)} | ${String(r.rtp.lossPercent)} % / ${String(r.rtp.maxGapMs)} ms | ${api} | ${probes} | ${String(r.generator.shareOfServer)} × | ${r.machine.loadAverage1m.toFixed(1)} |`;
  });
  return [
    '| Engine, settings | Legs offered @ calls/s | Joined | 503 | Failed | Server µs CPU per leg-second | × bare-socket floor (µs) | Legs/core at 50 % | RSS KiB/leg | RTP loss / largest gap | GET /live | OPTIONS / GET /live while joining: slowest, unanswered | Generator CPU | Load average |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Adds `result` to `dir/load-results.json` and redraws `dir/load.svg`. */
export function storeResult(dir: string, result: StoredResult): { json: string; svg: string; table: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'load-results.json');
  const svg = join(dir, 'load.svg');
  const old = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as StoredResult[]) : [];
  const results = mergeResult(old, result);
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(svg, renderLoadPlot(plotSeries(results), 'Load benchmark: rooms of 10, 3 talking (CPU of all server processes)'));
  return { json, svg, table: resultsTable(results) };
}
