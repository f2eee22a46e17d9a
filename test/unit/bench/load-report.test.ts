import t from 'tap';
import { CallerScript, voiced, wavDurationMs, type CallerAction } from '../../../scripts/bench/load/caller-script.ts';
import { cpuPerLegSecond, cpuPerRequest, legsPerCore, percentile, rtpSummary, summarise, type LoadRaw } from '../../../scripts/bench/load/load-report.ts';
import { escapeXml, niceStep, renderLoadPlot } from '../../../scripts/bench/load/load-plot.ts';
import { mergeResult, plotSeries, resultsTable, type StoredResult } from '../../../scripts/bench/load/load-results-file.ts';
import { planLoad } from '../../../scripts/bench/load/load-command.ts';
import { countOutcomes, injectionFile, loadScenario } from '../../../scripts/bench/load/sipp-scenario.ts';
import { freeswitchMissing } from '../../../scripts/bench/load/engine-target.ts';
import { parseBanner } from '../../../scripts/bench/load/server-process.ts';

const raw: LoadRaw = {
  engine: 'embedded',
  settings: {},
  legs: 100,
  roomSize: 10,
  talkers: 3,
  callRate: 20,
  joined: 95,
  refused503: 3,
  refusedOther: 0,
  sippFailed: 0,
  windowSeconds: 10,
  serverCpuUs: { node: 1_425_000 },
  generatorCpuUs: { 'rtp-callers': 500_000, sipp: 100_000, bench: 112_500 },
  generatorClockLateMs: 12.34,
  serverRssKbIdle: 100_000,
  serverRssKbLoaded: 109_500,
  rtp: [
    { received: 495, expected: 500, maxGapMs: 45 },
    { received: 500, expected: 500, maxGapMs: 80 },
    { received: 0, expected: 500, maxGapMs: 10_000 },
  ],
  // The media cost 1.425 s per 10 s before the API window and 1.575 s after it: 1.5 s is its share.
  api: { rps: 50, windowSeconds: 10, latenciesMs: [1, 2, 3, 4, 100], errors: 1, serverCpuUs: 1_500_000 + 5 * 300, mediaAfter: { seconds: 10, cpuUs: 1_575_000 },
    // The main thread: 0.1 s per 10 s without requests, 0.1 s + 5 × 200 µs with them.
    mainThread: { mediaUs: 100_000, apiUs: 101_000, afterUs: 100_000 } },
  responsiveness: { options: { sent: 4, latenciesMs: [0.5, 1.25, 30] }, api: { sent: 4, latenciesMs: [2, 3, 4, 5] } },
};

t.test('percentiles are nearest-rank and an empty list gives 0', async (t) => {
  t.equal(percentile([], 0.99), 0);
  t.equal(percentile([5, 1, 3], 0.5), 3);
  t.equal(percentile([1, 2, 3, 4, 100], 0.99), 100);
  t.equal(percentile(Array.from({ length: 100 }, (_v, i) => i + 1), 0.99), 99);
});

t.test('CPU per leg-second, legs per core at 50 % and CPU per request', async (t) => {
  t.equal(cpuPerLegSecond(1_500_000, 100, 10), 1500);
  t.equal(cpuPerLegSecond(1, 0, 10), 0);
  t.equal(legsPerCore(800), 625);
  t.equal(legsPerCore(0), 0);
  // 1.2 s of CPU in a 10 s API window against 1.0 s of media in 10 s: 0.2 s over 500 requests.
  t.equal(cpuPerRequest(1_200_000, 10, 1_000_000, 10, 500), 400);
  t.equal(cpuPerRequest(900_000, 10, 1_000_000, 10, 500), 0, 'never negative');
});

t.test('RTP loss counts only legs that heard anything; silent legs and long gaps are counted apart', async (t) => {
  const s = rtpSummary(raw.rtp);
  t.same(s, { legsMeasured: 2, legsSilent: 1, lossPercent: 0.5, maxGapMs: 80, legsWithGapOver60Ms: 1 });
});

t.test('a run is summarised into the table figures', async (t) => {
  const r = summarise(raw);
  t.equal(r.server.cpuUsPerLegSecond, 1500);
  t.equal(r.server.legsPerCoreAt50, 333);
  t.equal(r.server.cores, 0.143);
  t.equal(r.server.rssKbPerLeg, 100);
  t.equal(r.joinFailures, 2, 'offered − joined − refused');
  t.equal(r.generator.cpuUsPerLegSecond, 750);
  t.equal(r.generator.shareOfServer, 0.5);
  t.equal(r.generator.maxClockLateMs, 12.3, "the callers' own clock lateness is reported");
  t.same(r.responsiveness, { options: { sent: 4, unanswered: 1, p99Ms: 30, maxMs: 30 }, api: { sent: 4, unanswered: 0, p99Ms: 5, maxMs: 5 } }, 'probes without an answer are counted');
  t.same(r.api, { rps: 50, requests: 5, errors: 1, p50Ms: 3, p99Ms: 100, cpuUsPerRequest: 300, mainThreadCpuUsPerRequest: 200 }, 'against the media before and after the API window');
});

t.test('the plot draws one line per engine and API rate, with escaped labels', async (t) => {
  const base = summarise({ ...raw, api: null });
  const stored = (engine: string, joined: number, api: boolean, settings: Record<string, string> = {}): StoredResult => ({
    ...(api ? summarise(raw) : base),
    engine,
    settings,
    joined,
    legs: joined,
    measuredAt: '2026-01-01T00:00:00Z',
    machine: { cores: 2, loadAverage1m: 1 },
  });
  let results: StoredResult[] = [];
  for (const r of [stored('embedded', 200, false), stored('embedded', 100, false), stored('freeswitch', 100, false), stored('embedded', 100, true)]) results = mergeResult(results, r);
  results = mergeResult(results, stored('embedded', 100, false));
  t.equal(results.length, 4, 'a rerun replaces the run with the same key');
  results = mergeResult(results, stored('embedded', 100, false, { MEDIA_WORKERS: '2' }));
  t.equal(results.length, 5, 'the same legs with other settings are another run');
  t.match(resultsTable(results), /\| embedded, MEDIA_WORKERS=2 \| 100 @ 20\/s \|/, 'the table names the settings the run changed');
  const series = plotSeries(results);
  t.same(series.map((s) => s.label), ['embedded', 'embedded, 50 GET /live/s', 'embedded, MEDIA_WORKERS=2', 'freeswitch']);
  t.same(series[0]?.points.map((p) => p.legs), [100, 200]);
  const svg = renderLoadPlot(series, 'a < b & c');
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  t.match(svg, /a &lt; b &amp; c/);
  t.equal(svg.match(/<polyline /g)?.length, 1, 'a line needs two points');
  t.equal(svg.match(/<circle /g)?.length, 5);
  t.equal(renderLoadPlot(series, 'x'), renderLoadPlot(series, 'x'), 'the same input gives the same bytes');
  t.equal(escapeXml('"<&>'), '&quot;&lt;&amp;&gt;');
  t.equal(niceStep(2000), 500);
  t.equal(niceStep(1700), 500);
  t.equal(niceStep(450), 100);
});

t.test('options are bounded and bad ones named', async (t) => {
  const plan = planLoad({ legs: '100,200', engine: 'embedded,freeswitch', 'server-env': ['A=1'] });
  t.same(plan.legs, [100, 200]);
  t.same(plan.engines, ['embedded', 'freeswitch']);
  t.equal(plan.talkers, 3);
  t.equal(plan.rate, 20);
  t.same(plan.serverEnv, { A: '1' });
  t.throws(() => planLoad({ legs: '5000' }), /--legs must be a whole number from 1 to 2000/);
  t.throws(() => planLoad({ engine: 'asterisk' }), /--engine must be one of embedded, freeswitch/);
  t.throws(() => planLoad({ talkers: '11', 'room-size': '10' }), /--talkers/);
  t.throws(() => planLoad({ 'server-env': ['novalue'] }), /NAME=value/);
});

t.test('the freeswitch engine says what is missing', async (t) => {
  const why = freeswitchMissing({}, { freeswitch: [], drachtio: [] });
  t.match(why, /FREESWITCH_ESL/);
  t.match(why, /no process named "freeswitch"/);
  t.equal(freeswitchMissing({ FREESWITCH_ESL: 'a', DRACHTIO_ADDRESS: 'b', DRACHTIO_SIP: '127.0.0.1:5060' }, { freeswitch: [1], drachtio: [2] }), null);
});

t.test('sipp scenario, injection file and outcome log', async (t) => {
  const xml = loadScenario(90_000);
  t.match(xml, /<recv request="BYE" timeout="90000" ontimeout="hangup"\/>/);
  t.match(xml, /<recv response="503" optional="true" next="refused503"\/>/);
  t.equal(injectionFile([4000, 4002], (i) => `+49${String(i)}`), 'SEQUENTIAL\n4000;+490;\n4002;+491;\n');
  t.same(countOutcomes('answered 1\nanswered 2\nrefused503 3\nendedByServer 1\n\n'), { answered: 2, refused503: 1, refusedOther: 0, endedByServer: 1, hungUp: 0 });
});

t.test('the banner gives the SIP and HTTP addresses', async (t) => {
  t.same(parseBanner('  Dial:             sip:1000@127.0.0.1:5070  (UDP)\n  API:              http://127.0.0.1:3001/v1/rooms   (docs'), {
    sip: { host: '127.0.0.1', port: 5070 },
    httpBase: 'http://127.0.0.1:3001',
  });
  t.same(parseBanner('  Dial:             sip:1000@(engine address)\n  API:              http://127.0.0.1:3001/v1/rooms'), { sip: null, httpBase: 'http://127.0.0.1:3001' });
  t.equal(parseBanner('starting'), null);
});

t.test('a caller acts on what it hears: PIN after the welcome, name after "say your name", 1 after the review', async (t) => {
  const script = new CallerScript('200001', true, { welcomeMs: 2000, sayNameMs: 4000 });
  const done: { at: number; action: CallerAction }[] = [];
  let digitsUntil = -1;
  // The server's audio, 20 ms a packet: which stretches are prompts (voiced).
  const voicedAt = (ms: number): boolean =>
    ms < 2000 || // welcome
    (ms >= 2000 && ms < 2700) || // "enter your PIN", until the first digit barges in
    (ms >= 5000 && ms < 9000) || // "say your name" and the tone
    (ms >= 11_000 && ms < 14_000); // "you said …, press 1 to keep it"
  for (let ms = 0; ms < 20_000; ms += 20) {
    script.heard(ms, voicedAt(ms));
    for (const action of script.due(ms, ms < digitsUntil)) {
      done.push({ at: ms, action });
      if (action.kind === 'digits') digitsUntil = ms + action.digits.length * 240;
    }
  }
  const at = (kind: string, detail?: string): number | undefined =>
    done.find((d) => d.action.kind === kind && (detail === undefined || ('digits' in d.action ? d.action.digits : 'source' in d.action ? d.action.source : '') === detail))?.at;
  t.equal(at('digits', '200001#'), 2600, 'the PIN once the welcome is over');
  t.ok((at('audio', 'tone') ?? 0) >= 9000, 'the name only after "say your name" and its tone');
  t.ok((at('digits', '1') ?? 0) > 11_000, 'keeps the name during the review');
  t.equal(done.at(-1)?.action.kind, 'in-room');
  t.equal(script.phase, 'in-room');
});

t.test('a caller that never hears the next prompt acts anyway and still reaches the room', async (t) => {
  const script = new CallerScript('1', false, { welcomeMs: 1000, sayNameMs: 1000 });
  let busyUntil = -1;
  for (let ms = 0; ms < 60_000 && script.phase !== 'in-room'; ms += 20) {
    script.heard(ms, false);
    for (const a of script.due(ms, ms < busyUntil)) if (a.kind === 'digits') busyUntil = ms + 240 * a.digits.length;
  }
  t.equal(script.phase, 'in-room');
});

t.test('prompt level: µ-law silence is not voiced, a loud tone is', async (t) => {
  t.notOk(voiced(new Uint8Array(172).fill(0xff)));
  t.notOk(voiced(new Uint8Array(172).fill(0x7f)));
  t.ok(voiced(new Uint8Array(172).fill(0x10)));
  const wav = Buffer.alloc(44 + 16000);
  wav.write('RIFF', 0);
  wav.write('WAVE', 8);
  wav.write('fmt ', 12);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt16LE(2, 32);
  wav.write('data', 36);
  wav.writeUInt32LE(16000, 40);
  t.equal(wavDurationMs(wav), 1000);
});

t.test('the README table has a row per run', async (t) => {
  const stored: StoredResult = { ...summarise(raw), measuredAt: '2026-01-01T00:00:00Z', machine: { cores: 2, loadAverage1m: 12.3 } };
  const table = resultsTable([stored]);
  t.equal(table.split('\n').length, 3);
  t.match(table, /\| embedded \| 100 @ 20\/s \| 95 \| 3 \| 2 \| 1500 \| — \| 333 \|/, 'a run stored without a floor');
  t.match(resultsTable([{ ...stored, floor: { legs: 95, cpuUsPerLegSecond: 600 } }]), /\| 1500 \| 2\.50 × 600 \| 333 \|/, 'the cost as a multiple of the bare-socket floor');
  t.match(table, /\| 30 ms, 1 of 4 \/ 5 ms, 0 of 4 \|/, 'the probes while joining');
  const { responsiveness: _none, ...older } = stored;
  t.match(resultsTable([older]), /\| — \| 0\.5 × \|/, 'a run stored before the probe existed');
  t.match(table, /50\/s: p50 3 ms, p99 100 ms, 300 µs CPU\/req/);
  t.match(table, /\| 12\.3 \|$/);
});
