/**
 * Event streams that resume: ids rise per room, a client that reconnects with Last-Event-ID
 * gets exactly what it missed (or a fresh snapshot when that is no longer held), a repeated
 * leg-updated is sent once, and `?talking=false` leaves talking out.
 */
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { LiveLeg } from '../../src/domain/live-view.ts';
import { openSse, type SseBlock, type SseClient } from './support/sse-client.ts';
import { auth, buildTestWorld, testConference, testLeg, type TestWorld } from './support/test-world.ts';

async function listening(t: Test): Promise<{ world: TestWorld; base: string }> {
  const world = await buildTestWorld({ sseKeepAliveMs: 60_000 });
  t.teardown(() => world.app.close());
  await world.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = world.app.server.address() as AddressInfo;
  return { world, base: `http://127.0.0.1:${String(port)}` };
}

async function stream(t: Test, url: string, headers: Record<string, string>): Promise<SseClient> {
  const client = await openSse(url, headers);
  t.teardown(() => {
    client.close();
  });
  return client;
}

/** The next `n` events of a stream. */
async function events(client: SseClient, n: number): Promise<SseBlock[]> {
  const out: SseBlock[] = [];
  for (let i = 0; i < n; i++) {
    const block = await client.nextEvent();
    if (block === null) throw new Error(`the stream ended after ${String(i)} of ${String(n)} events`);
    out.push(block);
  }
  return out;
}

const CONF = 'conf-room-alice';
const leg = (overrides: Partial<LiveLeg> = {}): LiveLeg => testLeg({ id: 'leg-carol', name: 'Carol', ...overrides });

t.test('a client that reconnects with Last-Event-ID gets exactly the events it missed, then the live feed', async (t) => {
  t.setTimeout(15_000);
  const { world, base } = await listening(t);
  const url = `${base}/v1/rooms/room-alice/live/events`;
  const first = await openSse(url, auth(world.users.alice));
  t.equal((await first.nextEvent())?.event, 'snapshot');
  await world.live.waitForSubscribers((n) => n === 1);
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true }) });
  const seen = await events(first, 2);
  t.same(seen.map((e) => e.id), ['1', '2']);
  first.close();
  await world.live.waitForSubscribers((n) => n === 0);

  // While the client is away: three changes, one of them in another room.
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true, handRaised: true }) });
  world.live.publish('room-bob', { type: 'conference-ended', conferenceId: 'conf-room-bob', reason: 'host-ended' });
  world.live.publish('room-alice', { type: 'leg-left', conferenceId: CONF, legId: 'leg-carol', reason: 'hangup' });
  world.live.publish('room-alice', { type: 'conference-updated', conference: { ...testConference('room-alice'), locked: true } });

  const again = await stream(t, url, { ...auth(world.users.alice), 'last-event-id': seen[1]?.id ?? '' });
  const missed = await events(again, 3);
  t.same(
    missed.map((e) => [e.id, e.event]),
    [
      ['3', 'leg-updated'],
      ['4', 'leg-left'],
      ['5', 'conference-updated'],
    ],
    'exactly the missed events of the room, in order, and no snapshot',
  );
  t.same(JSON.parse(missed[0]?.data ?? ''), { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true, handRaised: true }) });
  await world.live.waitForSubscribers((n) => n === 1);
  world.live.publish('room-alice', { type: 'conference-ended', conferenceId: CONF, reason: 'host-ended' });
  const live = await again.nextEvent();
  t.same([live?.id, live?.event], ['6', 'conference-ended'], 'then the live feed goes on from there');
});

t.test('?lastEventId= resumes like the header (for clients that cannot set it)', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true }) });
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events?lastEventId=1`, auth(world.users.alice));
  const [only] = await events(client, 1);
  t.same([only?.id, only?.event], ['2', 'leg-updated']);
});

t.test('a client up to date is sent nothing again on reconnecting', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, { ...auth(world.users.alice), 'last-event-id': '1' });
  await world.live.waitForSubscribers((n) => n === 1);
  world.live.publish('room-alice', { type: 'leg-left', conferenceId: CONF, legId: 'leg-carol', reason: 'hangup' });
  const [next] = await events(client, 1);
  t.same([next?.id, next?.event], ['2', 'leg-left'], 'the first thing sent is the next change');
});

t.test('a gap the server no longer holds, an id from before a restart, or garbage get a fresh snapshot', async (t) => {
  t.setTimeout(15_000);
  const { world, base } = await listening(t);
  // More than the 256 events a room keeps.
  for (let i = 0; i < 300; i++) world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ name: `Carol ${String(i)}` }) });
  for (const lastId of ['3', '301', '99999999999', 'abc', '-1']) {
    const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, { ...auth(world.users.alice), 'last-event-id': lastId });
    const [first] = await events(client, 1);
    t.equal(first?.event, 'snapshot', `Last-Event-ID ${lastId}: a snapshot`);
    t.equal(first?.id, '300', 'carrying the id of the latest event');
    client.close();
  }
  const fine = await stream(t, `${base}/v1/rooms/room-alice/live/events`, { ...auth(world.users.alice), 'last-event-id': '298' });
  t.same((await events(fine, 2)).map((e) => e.id), ['299', '300'], 'an id still held resumes');
});

t.test('a leg-updated identical to the previous one of the leg is not sent again', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  // Fields nobody publishes make no difference either.
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: { ...leg(), sipFrom: 'sip:x@y' } as LiveLeg });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ id: 'leg-dan', name: 'Dan' }) });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true }) });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  const got = await events(client, 4);
  t.same(
    got.map((e) => [e.id, (JSON.parse(e.data ?? '') as { leg: LiveLeg }).leg.id, (JSON.parse(e.data ?? '') as { leg: LiveLeg }).leg.muted]),
    [
      ['1', 'leg-carol', false],
      ['2', 'leg-dan', false],
      ['3', 'leg-carol', true],
      ['4', 'leg-carol', false],
    ],
    'repeats dropped (and given no id); another leg between does not make a repeat new',
  );
});

t.test('?talking=false leaves out the events in which only talking changed, live and on resume', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const url = `${base}/v1/rooms/room-alice/live/events`;
  const all = await stream(t, url, auth(world.users.alice));
  const quiet = await stream(t, `${url}?talking=false`, auth(world.users.alice));
  await all.nextEvent();
  await quiet.nextEvent();
  await world.live.waitForSubscribers((n) => n === 2);
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg() });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ talking: true }) });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ talking: false }) });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: CONF, leg: leg({ muted: true }) });
  t.same((await events(all, 4)).map((e) => e.id), ['1', '2', '3', '4'], 'by default every change');
  t.same((await events(quiet, 2)).map((e) => e.id), ['1', '4'], 'without talking, the others only');

  const resumed = await stream(t, `${url}?talking=false`, { ...auth(world.users.alice), 'last-event-id': '1' });
  t.same((await events(resumed, 1)).map((e) => e.id), ['4'], 'the replay leaves talking out too');
  const bad = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice/live/events?talking=maybe', headers: auth(world.users.alice) });
  t.equal(bad.statusCode, 400);
});
