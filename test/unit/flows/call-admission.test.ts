import t from 'tap';
import { CallAdmission, DEFAULT_ADMISSION } from '../../../src/flows/call-admission.ts';
import { callFacts } from './support/fake-engine.ts';

function gate(settings: Partial<typeof DEFAULT_ADMISSION>, probes: { calls?: number; lag?: number; busy?: number; idle?: number } = {}) {
  let now = 0;
  const g = new CallAdmission({ ...DEFAULT_ADMISSION, ...settings }, {
    now: () => now,
    activeCalls: () => probes.calls ?? 0,
    loopLagMs: () => probes.lag ?? 0,
    loopBusy: () => probes.busy ?? 0,
    mediaHostIdle: () => probes.idle,
  });
  return { g, advance: (ms: number) => { now += ms; } };
}

t.test('the call cap, the saturation guard and the global rate refuse with Retry-After', async (t) => {
  t.same(gate({ maxCalls: 5 }, { calls: 5 }).g.decide(callFacts()), { kind: 'refuse', reason: 'call-cap', retryAfterSeconds: 5 });
  t.same(gate({ maxLoopLagMs: 100 }, { lag: 150 }).g.decide(callFacts()), { kind: 'refuse', reason: 'saturated', retryAfterSeconds: 5 });
  t.same(gate({ maxLoopLagMs: 0 }, { lag: 5000 }).g.decide(callFacts()).kind, 'admit', '0 disables the guard');
  t.same(gate({ maxLoopBusy: 0.9 }, { busy: 0.95, lag: 3 }).g.decide(callFacts()), { kind: 'refuse', reason: 'saturated', retryAfterSeconds: 5 }, 'a loop busy all the time is saturated even when it is never late');
  t.same(gate({ maxLoopBusy: 0.9 }, { busy: 0.85 }).g.decide(callFacts()).kind, 'admit');
  t.same(gate({ maxLoopBusy: 0 }, { busy: 1 }).g.decide(callFacts()).kind, 'admit', '0 disables it');
  t.same(gate({ minMediaIdle: 0.1 }, { idle: 0.04 }).g.decide(callFacts()), { kind: 'refuse', reason: 'saturated', retryAfterSeconds: 5 }, "a media host below its idle floor (FreeSWITCH's own CPU) is saturated");
  t.same(gate({ minMediaIdle: 0.1 }, { idle: 0.2 }).g.decide(callFacts()).kind, 'admit');
  t.same(gate({ minMediaIdle: 0.1 }).g.decide(callFacts()).kind, 'admit', 'an idle share not known yet refuses nobody');
  t.same(gate({ minMediaIdle: 0 }, { idle: 0 }).g.decide(callFacts()).kind, 'admit', '0 disables the floor');
  let asked = 0;
  const unwatched = new CallAdmission(DEFAULT_ADMISSION, { now: () => 0, activeCalls: () => 0, loopLagMs: () => 0, mediaHostIdle: () => { asked++; return 0; } });
  unwatched.decide(callFacts());
  t.equal(asked, 0, 'with the floor off the media host is never asked (nothing is measured)');
  const { g } = gate({ callsPerSecond: 2, sourceInvites: 100 });
  const decisions = [1, 2, 3].map((i) => g.decide(callFacts({ source: `192.0.2.${String(i)}` })).kind);
  t.same(decisions, ['admit', 'admit', 'refuse'], 'the rate counts every source');
});

t.test('trusted sources (trunks) are never banned; others are', async (t) => {
  const { g } = gate({ sourceInvites: 2, trustedSources: ['198.51.100.0/24'], callsPerSecond: 0 });
  const trunk = [1, 2, 3, 4].map(() => g.decide(callFacts({ source: '198.51.100.7' })).kind);
  t.same(trunk, ['admit', 'admit', 'admit', 'admit']);
  const other = [1, 2, 3, 4].map(() => g.decide(callFacts({ source: '203.0.113.9' })).kind);
  t.same(other, ['admit', 'admit', 'refuse', 'drop']);
  t.equal(g.notFound('198.51.100.7'), false, 'a trunk is not banned for 404s either');
});

t.test("a source inside a carrier trunk's ranges is trusted as the setting's are, read per call", async (t) => {
  let ranges = new Set<string>();
  const g = new CallAdmission(
    { ...DEFAULT_ADMISSION, sourceInvites: 2, callsPerSecond: 0 },
    { now: () => 0, activeCalls: () => 0, loopLagMs: () => 0, isTrunkSource: (address) => ranges.has(address) },
  );
  const before = [1, 2, 3].map(() => g.decide(callFacts({ source: '198.51.100.7' })).kind);
  t.same(before, ['admit', 'admit', 'refuse'], 'no trunk lists it yet: rate-limited like anyone');
  ranges = new Set(['198.51.100.8']);
  const carrier = [1, 2, 3, 4, 5].map(() => g.decide(callFacts({ source: '198.51.100.8' })).kind);
  t.same(carrier, ['admit', 'admit', 'admit', 'admit', 'admit'], 'a trunk added later is trusted at once: never limited');
  t.equal(g.notFound('198.51.100.8'), false, 'nor banned for calls to unknown numbers');
});

t.test('refuseNewCalls refuses everyone with its Retry-After until switched off', async (t) => {
  const { g } = gate({});
  g.refuseNewCalls(30);
  t.same(g.decide(callFacts()), { kind: 'refuse', reason: 'draining', retryAfterSeconds: 30 });
  t.equal(g.refusingNewCalls, true);
  g.refuseNewCalls(null);
  t.equal(g.decide(callFacts()).kind, 'admit');
});
