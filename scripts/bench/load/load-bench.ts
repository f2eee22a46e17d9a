/**
 * The load benchmark through the whole join path: N callers placed by sipp (rate-limited)
 * walk the real IVR of the real server process — welcome, RFC 4733 PIN, spoken name, join —
 * in rooms of `roomSize` where `talkers` talk, then G.711 flows both ways for a steady
 * window in which the server's CPU and memory (all of its processes), the callers' RTP
 * loss and gaps, and the load generator's own CPU are measured; with `apiRps`, a second
 * window of the same length adds paced `GET /live` requests and prices them. Then every
 * conference is ended through the API (the server hangs up) and everything is stopped.
 * Bounded in count and time; loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from './api-load.ts';
import { CallersProcess } from './callers-process.ts';
import { wavDurationMs } from './caller-script.ts';
import { engineTarget, type LoadEngine } from './engine-target.ts';
import { summarise, type ApiRaw, type LoadResult } from './load-report.ts';
import { LOAD_SERVICE_NUMBER, seedLoadRooms } from './load-rooms.ts';
import { groupCpuUs, groupRssKb, processCpuUs, threadCpuUs, type ProcessGroup } from './proc-stat.ts';
import { startResponsivenessProbe, type ResponsivenessProbe, type ResponsivenessRaw } from './responsiveness-probe.ts';
import { startServerProcess } from './server-process.ts';
import { startSippCallers, type SippCallers } from './sipp-callers.ts';

/** One run's parameters. */
export interface LoadOptions {
  readonly engine: LoadEngine;
  readonly legs: number;
  readonly roomSize: number;
  readonly talkers: number;
  /** Calls per second. */
  readonly rate: number;
  /** Length of each measuring window, s. */
  readonly seconds: number;
  /** GET /live per second in the API window; 0: no API window. */
  readonly apiRps: number;
  /** First port of the server's RTP range (even; the range holds 2 × legs + 400 ports). */
  readonly rtpBase: number;
  /** Extra server settings (e.g. admission limits). */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** Keep the work directory (server log, sipp files) and say where it is. */
  readonly keep: boolean;
  /** The server's entry point (null: this checkout's src/main.ts). */
  readonly serverMain: string | null;
  /** Write a V8 CPU profile of the server here (null: none). */
  readonly profileDir: string | null;
  /** Progress lines go here. */
  readonly log: (line: string) => void;
}

const SOUNDS = fileURLToPath(new URL('../../../sounds/', import.meta.url));
/** Time for the IVR after the last call is placed, s (welcome, PIN, name, review: ~15 s). */
const JOIN_GRACE_SECONDS = 40;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>, group: ProcessGroup): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of group.processes) out[p.name] = (out[p.name] ?? 0) + Math.max(0, (after.get(p.pid) ?? 0) - (before.get(p.pid) ?? 0));
  return out;
}

function selfCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** How many legs of each room's live view are in the room. */
async function joinedLegs(api: ApiClient, roomIds: readonly string[]): Promise<number> {
  let joined = 0;
  for (const id of roomIds) {
    const { status, body } = await api.request('GET', `/v1/rooms/${id}/live`);
    if (status !== 200) continue;
    const legs = (body as { conference: { legs: { state: string }[] } | null }).conference?.legs ?? [];
    joined += legs.filter((l) => l.state === 'joined').length;
  }
  return joined;
}

/** Runs one load run and returns its figures. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const target = engineTarget(o.engine);
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-load-'));
  const secret = randomBytes(32);
  const apiKey = randomBytes(24).toString('base64url');
  const roomCount = Math.ceil(o.legs / o.roomSize);
  const rooms = seedLoadRooms(dir, secret, apiKey, roomCount, o.roomSize);
  const server = await startServerProcess({
    ...target.env,
    HTTP_LISTEN: '127.0.0.1:0',
    DATA_DIR: dir,
    RTP_PORT_MIN: String(o.rtpBase),
    RTP_PORT_MAX: String(o.rtpBase + 2 * o.legs + 400),
    DEMO_SERVICE_NUMBER: LOAD_SERVICE_NUMBER,
    DEMO_API_KEY: apiKey,
    OPERATOR_API_KEY: randomBytes(24).toString('base64url'),
    SERVER_SECRET: secret.toString('hex'),
    LOG_LEVEL: 'warn',
    // Every call comes from 127.0.0.1: a few PINs mangled under overload must not lock the
    // whole run out (the bench measures capacity, not brute-force protection).
    LOCKOUT_CALLER_FAILURES: '1000',
    LOCKOUT_SOURCE_FAILURES: '1000',
    LOCKOUT_ROOM_FAILURES: '10000',
    // The load generator is one address, like a carrier's trunk: without this the per-address
    // INVITE limit bans every caller after the 20th. The load-based refusals (call cap, event-loop
    // saturation, global rate) still apply, and --server-env can override it.
    ADMISSION_TRUSTED_SOURCES: '127.0.0.1',
    ...o.serverEnv,
  }, join(dir, 'server.log'), o.profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', o.profileDir], o.serverMain ?? undefined);
  const api = new ApiClient(server.httpBase, apiKey);
  let callers: CallersProcess | undefined;
  let sippStarted: SippCallers | undefined;
  let probeStarted: ResponsivenessProbe | undefined;
  let finished = false;
  try {
    const group: ProcessGroup = { processes: [{ name: 'node', pid: server.pid }, ...target.others] };
    const sip = target.sip ?? server.sip;
    if (sip === null) throw new Error('the server printed no SIP address');
    const prompts = {
      welcomeMs: wavDurationMs(readFileSync(join(SOUNDS, 'welcome.wav'))),
      sayNameMs: wavDurationMs(readFileSync(join(SOUNDS, 'say-name.wav'))) + wavDurationMs(readFileSync(join(SOUNDS, 'entry-tone.wav'))),
    };
    const specs = Array.from({ length: o.legs }, (_v, i) => {
      const room = rooms[Math.floor(i / o.roomSize)]!;
      const seat = i % o.roomSize;
      return { pin: seat === 0 ? room.hostPin : room.participantPin, talker: seat < o.talkers };
    });
    callers = await CallersProcess.open(specs, prompts);
    await sleep(1000);
    const rssIdle = groupRssKb(group);
    const placeSeconds = o.legs / o.rate;
    const holdMs = (placeSeconds + JOIN_GRACE_SECONDS + 2 * o.seconds + 60) * 1000;
    // SIP OPTIONS and the status API, asked four times a second while the calls come in.
    const probe = await startResponsivenessProbe({ sip, api, roomId: rooms[0]?.id ?? '' });
    probeStarted = probe;
    const sipp = await startSippCallers({ dir, target: sip, serviceNumber: LOAD_SERVICE_NUMBER, rtpPorts: callers.ports, rate: o.rate, holdMs });
    sippStarted = sipp;
    o.log(`  placing ${String(o.legs)} calls at ${String(o.rate)}/s to ${sip.host}:${String(sip.port)} (${String(roomCount)} rooms of ${String(o.roomSize)}, ${String(o.talkers)} talking)`);

    // Wait until every call is refused or has walked the IVR into its room (bounded).
    const deadline = Date.now() + (placeSeconds + JOIN_GRACE_SECONDS) * 1000;
    for (;;) {
      await sleep(1000);
      const { inRoom } = await callers.progress();
      const out = sipp.outcomes();
      if (inRoom + out.refused503 + out.refusedOther >= o.legs || Date.now() > deadline) break;
    }
    // Then until the rooms' live views stop changing (the last joins being announced).
    let joined = -1;
    for (let polls = 0; polls < 10; polls++) {
      await sleep(2000);
      const now = await joinedLegs(api, rooms.map((r) => r.id));
      if (now === joined) break;
      joined = now;
    }
    const responsiveness: ResponsivenessRaw = await probe.stop();
    o.log(`  ${String(joined)} legs joined; measuring ${String(o.seconds)} s`);

    // The media window.
    const gen = (): Map<number, number> => new Map([[callers?.pid ?? 0, processCpuUs(callers?.pid ?? 0) ?? 0], [sipp.pid, processCpuUs(sipp.pid) ?? 0]]);
    const genGroup: ProcessGroup = { processes: [{ name: 'rtp-callers', pid: callers.pid }, { name: 'sipp', pid: sipp.pid }] };
    // The server's main thread alone (SIP, flows, HTTP; the media too unless MEDIA_WORKERS ≥ 1).
    const mainCpu = (): number => threadCpuUs(server.pid, server.pid) ?? 0;
    const s0 = groupCpuUs(group);
    const main0 = mainCpu();
    const g0 = gen();
    const self0 = selfCpuUs();
    const t0 = performance.now();
    await callers.openWindow();
    await sleep(o.seconds * 1000);
    const { legs: rtp, clockLateMs } = await callers.closeWindow();
    const windowSeconds = (performance.now() - t0) / 1000;
    const s1 = groupCpuUs(group);
    const mainMediaUs = mainCpu() - main0;
    const generatorCpuUs = { ...cpuDelta(g0, gen(), genGroup), bench: selfCpuUs() - self0 };
    const rssLoaded = groupRssKb(group);
    const serverCpuUs = cpuDelta(s0, s1, group);

    // The API window.
    let apiRaw: ApiRaw | null = null;
    if (o.apiRps > 0) {
      o.log(`  API window: ${String(o.apiRps)} GET /live per second for ${String(o.seconds)} s`);
      const a0 = groupCpuUs(group);
      const mainA0 = mainCpu();
      const ta = performance.now();
      const paced = await api.paceLive(rooms.map((r) => r.id), o.apiRps, o.seconds);
      const apiSeconds = (performance.now() - ta) / 1000;
      const apiCpu = Object.values(cpuDelta(a0, groupCpuUs(group), group)).reduce((x, y) => x + y, 0);
      // The media alone again, after the API window: what the requests cost is measured against
      // the media's cost on both sides of it, so a drift of the media's own cost over the run
      // (a GC, the machine's other work) is not put on the requests.
      const mainApiUs = mainCpu() - mainA0;
      const m0 = groupCpuUs(group);
      const mainM0 = mainCpu();
      const tm = performance.now();
      await sleep(o.seconds * 1000);
      const mainThread = { mediaUs: mainMediaUs, apiUs: mainApiUs, afterUs: mainCpu() - mainM0 };
      const mediaAfter = { seconds: (performance.now() - tm) / 1000, cpuUs: Object.values(cpuDelta(m0, groupCpuUs(group), group)).reduce((x, y) => x + y, 0) };
      apiRaw = { rps: o.apiRps, windowSeconds: apiSeconds, latenciesMs: paced.latenciesMs, errors: paced.errors, serverCpuUs: apiCpu, mediaAfter, mainThread };
    }

    // The server hangs everyone up; sipp then ends by itself.
    for (const room of rooms) await api.request('POST', `/v1/rooms/${room.id}/end`).catch(() => undefined);
    await sipp.finish(20_000);
    const out = sipp.outcomes();
    finished = true;
    return summarise({
      engine: o.engine,
      settings: { ...(target.env.MEDIA_WORKERS === undefined ? {} : { MEDIA_WORKERS: target.env.MEDIA_WORKERS }), ...o.serverEnv },
      legs: o.legs,
      roomSize: o.roomSize,
      talkers: o.talkers,
      callRate: o.rate,
      joined,
      refused503: out.refused503,
      refusedOther: out.refusedOther,
      sippFailed: Math.max(0, o.legs - out.answered - out.refused503 - out.refusedOther),
      windowSeconds,
      serverCpuUs,
      generatorCpuUs,
      generatorClockLateMs: clockLateMs,
      serverRssKbIdle: rssIdle,
      serverRssKbLoaded: rssLoaded,
      rtp,
      api: apiRaw,
      responsiveness,
    });
  } finally {
    // A run that failed part-way (the server gone, say) leaves sipp holding its calls: stop it.
    await sippStarted?.stop();
    await probeStarted?.stop();
    await callers?.close();
    await api.close();
    await server.stop();
    // A failed run keeps its work directory: the server's log is the first thing to read.
    if (o.keep || !finished) o.log(`  kept: ${dir} (server.log, outcomes.log, sipp files)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
