import t from 'tap';
import { liveEventType } from '../../../src/domain/live-event-types.ts';
import type { LiveConference, LiveLeg } from '../../../src/domain/live-view.ts';
import { LiveBus } from '../../../src/flows/live-bus.ts';

const leg = (overrides: Partial<LiveLeg> = {}): LiveLeg => ({
  id: 'leg-1',
  name: 'Carol',
  nameSource: 'host',
  number: '+441632961234',
  numberWithheld: false,
  hasSpokenName: false,
  role: 'participant',
  direction: 'inbound',
  state: 'joined',
  muted: false,
  held: false,
  talking: false,
  handRaised: false,
  joinedAt: '2026-11-28T10:00:00.000Z',
  ...overrides,
});

const conference = (locked: boolean): LiveConference => ({ id: 'c1', roomId: 'r1', startedAt: '2026-11-28T10:00:00.000Z', locked, recording: 'off', legs: [] });

t.test('ids rise per room, stay apart between rooms, and keep rising across restarts', async (t) => {
  let now = 1_800_000_000_000;
  const first = new LiveBus(() => null, undefined, { idBase: now * 1000 });
  const a1 = first.publish('r1', { type: 'conference-started', conference: conference(false) });
  const a2 = first.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg() });
  const b1 = first.publish('r2', { type: 'lockout', roomId: 'r2', scope: 'caller', until: '2026-11-28T10:15:00.000Z' });
  t.equal(Number(a2?.id), Number(a1?.id) + 1);
  t.equal(b1?.id, a1?.id, 'each room counts on its own');
  now += 5;
  const second = new LiveBus(() => null, undefined, { idBase: now * 1000 });
  t.ok(Number(second.lastEventId('r1')) > Number(a2?.id), 'a later run starts above every id of the earlier one');
  t.equal(second.eventsAfter('r1', a2?.id ?? ''), null, "an earlier run's id is not resumable");
  t.ok(new LiveBus(() => null).lastEventId('r1').length <= 16, 'the default ids are safe integers');
});

t.test('eventsAfter holds the last bufferSize events of a room', async (t) => {
  const bus = new LiveBus(() => null, undefined, { idBase: 0, bufferSize: 3 });
  t.same(bus.eventsAfter('r1', '0'), [], 'nothing yet');
  for (let i = 1; i <= 5; i++) bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ name: `n${String(i)}` }) });
  t.same(bus.eventsAfter('r1', '2')?.map((r) => r.id), ['3', '4', '5']);
  t.same(bus.eventsAfter('r1', '4')?.map((r) => r.id), ['5']);
  t.same(bus.eventsAfter('r1', '5'), []);
  t.equal(bus.eventsAfter('r1', '1'), null, 'event 2 is no longer held');
  t.equal(bus.eventsAfter('r1', '6'), null, 'an id not given out yet');
  t.equal(bus.heldEvents(), 3);
});

t.test('a quiet room without subscribers lets go of its events but keeps counting', async (t) => {
  let now = Date.parse('2026-11-28T10:00:00Z');
  const bus = new LiveBus(() => null, undefined, { idBase: 0, idleMs: 600_000, now: () => new Date(now) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg() });
  const unsubscribe = bus.subscribe('r2', () => undefined);
  bus.publish('r2', { type: 'leg-updated', conferenceId: 'c2', leg: leg() });
  now += 11 * 60_000;
  bus.publish('r3', { type: 'leg-updated', conferenceId: 'c3', leg: leg() });
  t.equal(bus.eventsAfter('r1', '0'), null, "r1's event is gone");
  t.same(bus.eventsAfter('r2', '0')?.map((r) => r.id), ['1'], 'a watched room keeps its events');
  t.equal(bus.publish('r1', { type: 'leg-left', conferenceId: 'c1', legId: 'leg-1', reason: 'bye' })?.id, '2', 'the next id follows on');
  t.same(bus.eventsAfter('r1', '1')?.map((r) => r.id), ['2']);
  unsubscribe();
});

t.test('publish names each event, drops exact repeats and tells subscribers and taps', async (t) => {
  const bus = new LiveBus(() => null, undefined, { idBase: 0 });
  const seen: string[] = [];
  const tapped: string[] = [];
  bus.subscribe('r1', (event, meta) => seen.push(`${meta.id} ${event.type} ${meta.type}${meta.talkingOnly ? ' talking-only' : ''}`));
  bus.tap((roomId, record) => tapped.push(`${roomId} ${record.id}`));
  bus.publish('r1', { type: 'conference-started', conference: conference(false) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ state: 'waiting-for-host', joinedAt: null }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg() });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg() });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true, muted: true }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true, muted: true, state: 'held', held: true }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true, muted: true }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true, muted: false }) });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg({ talking: true, handRaised: true }) });
  bus.publish('r1', { type: 'conference-updated', conference: conference(true) });
  bus.publish('r1', { type: 'conference-updated', conference: conference(true) });
  bus.publish('r1', { type: 'conference-updated', conference: conference(false) });
  bus.publish('r1', { type: 'recording-failed', conferenceId: 'c1', recordingId: 'rec', code: 'DISK_FULL' });
  bus.publish('r1', { type: 'leg-left', conferenceId: 'c1', legId: 'leg-1', reason: 'bye' });
  bus.publish('r1', { type: 'leg-updated', conferenceId: 'c1', leg: leg() });
  bus.publish('r1', { type: 'conference-ended', conferenceId: 'c1', reason: 'empty' });
  t.same(seen, [
    '1 conference-started conference.started',
    '2 leg-updated leg.updated',
    '3 leg-updated leg.joined',
    '4 leg-updated leg.talking talking-only',
    '5 leg-updated leg.muted',
    '6 leg-updated leg.held',
    '7 leg-updated leg.unheld',
    '8 leg-updated leg.unmuted',
    '9 leg-updated leg.updated',
    '10 conference-updated conference.locked',
    '11 conference-updated conference.updated',
    '12 conference-updated conference.unlocked',
    '13 recording-failed recording.failed',
    '14 leg-left leg.left',
    '15 leg-updated leg.joined',
    '16 conference-ended conference.ended',
  ]);
  t.equal(tapped.length, 16);
  t.equal(tapped[0], 'r1 1');
});

t.test('a throwing subscriber or tap stops no one else', async (t) => {
  const errors: unknown[] = [];
  const bus = new LiveBus(() => null, (err) => errors.push(err), { idBase: 0 });
  let got = 0;
  bus.subscribe('r1', () => {
    throw new Error('boom');
  });
  bus.tap(() => {
    throw new Error('tap boom');
  });
  bus.subscribe('r1', () => got++);
  bus.tap(() => got++);
  bus.publish('r1', { type: 'lockout', roomId: 'r1', scope: 'room', until: '2026-11-28T10:15:00.000Z' });
  t.equal(got, 2);
  t.equal(errors.length, 2);
});

t.test('liveEventType: a first view of a leg in the bridge is a join; a lockout has its own name', async (t) => {
  t.equal(liveEventType({ type: 'leg-updated', conferenceId: 'c', leg: leg() }), 'leg.joined');
  t.equal(liveEventType({ type: 'leg-updated', conferenceId: 'c', leg: leg({ state: 'held', held: true }) }, { leg: leg() }), 'leg.held');
  t.equal(liveEventType({ type: 'lockout', roomId: 'r', scope: 'caller', until: 'x' }), 'pin.lockout');
  t.equal(liveEventType({ type: 'conference-updated', conference: conference(true) }), 'conference.updated', 'nothing known before: no lock change claimed');
});
