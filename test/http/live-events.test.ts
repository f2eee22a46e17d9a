import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { formatSseComment, formatSseEvent } from '../../src/http/sse/sse-frame.ts';
import { openSse, type SseClient } from './support/sse-client.ts';
import { auth, buildTestWorld, testConference, testLeg, type TestWorld } from './support/test-world.ts';

/** Builds a world listening on 127.0.0.1 port 0 and returns its base URL. */
async function listening(t: Test, keepAliveMs = 60_000): Promise<{ world: TestWorld; base: string }> {
  const world = await buildTestWorld({ sseKeepAliveMs: keepAliveMs });
  t.teardown(() => world.app.close());
  await world.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = world.app.server.address() as AddressInfo;
  return { world, base: `http://127.0.0.1:${String(port)}` };
}

/** Opens a stream and closes it at teardown. */
async function stream(t: Test, url: string, headers: Record<string, string>): Promise<SseClient> {
  const client = await openSse(url, headers);
  t.teardown(() => {
    client.close();
  });
  return client;
}

t.test('the stream starts with a snapshot of the current view, with the id of the latest event', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  t.equal(client.status, 200);
  t.match(client.headers.get('content-type'), /^text\/event-stream/);
  t.match(client.headers.get('cache-control'), /no-cache/);
  const first = await client.nextEvent();
  t.equal(first?.event, 'snapshot');
  t.equal(first?.id, '0', 'no event yet: the id ids start from');
  t.same(JSON.parse(first?.data ?? 'null'), { conference: testConference('room-alice') });
});

t.test('a room without a conference streams a snapshot with conference null', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice-2/live/events`, auth(world.users.alice));
  const first = await client.nextEvent();
  t.equal(first?.event, 'snapshot');
  t.same(JSON.parse(first?.data ?? ''), { conference: null });
});

t.test('each live event follows as an event named after its type with an id rising per room', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);

  const leg = testLeg({ id: 'leg-anon', name: 'Carol', talking: true });
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: 'conf-room-alice', leg });
  world.live.publish('room-alice', { type: 'leg-left', conferenceId: 'conf-room-alice', legId: 'leg-anon', reason: 'hangup' });
  world.live.publish('room-alice', { type: 'conference-ended', conferenceId: 'conf-room-alice', reason: 'host-ended' });
  world.live.publish('room-bob', { type: 'conference-ended', conferenceId: 'conf-room-bob', reason: 'host-ended' });

  const second = await client.nextEvent();
  t.equal(second?.event, 'leg-updated');
  t.equal(second?.id, '1');
  t.same(JSON.parse(second?.data ?? ''), { type: 'leg-updated', conferenceId: 'conf-room-alice', leg });
  const third = await client.nextEvent();
  t.equal(third?.event, 'leg-left');
  t.equal(third?.id, '2');
  t.same(JSON.parse(third?.data ?? ''), { type: 'leg-left', conferenceId: 'conf-room-alice', legId: 'leg-anon', reason: 'hangup' });
  const fourth = await client.nextEvent();
  t.equal(fourth?.event, 'conference-ended');
  t.equal(fourth?.id, '3');
  t.equal(JSON.parse(fourth?.data ?? '').conferenceId, 'conf-room-alice', 'events of other rooms are not sent');
});

t.test('a withheld number is null in streamed events even if the source forgot to mask it', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);
  const leaky = { ...testLeg({ id: 'leg-x', number: '+441632967777', numberWithheld: true }), sipFrom: 'sip:+441632967777@carrier' };
  world.live.publish('room-alice', { type: 'leg-updated', conferenceId: 'conf-room-alice', leg: leaky });
  const event = await client.nextEvent();
  t.equal(JSON.parse(event?.data ?? '').leg.number, null);
  t.notMatch(event?.data ?? '', /7777|sipFrom/);
});

t.test('keep-alive comments are sent while nothing happens', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t, 30);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  const blocks = [await client.next(), await client.next(), await client.next(), await client.next()];
  t.same(blocks[0], { retry: '3000' }, 'a reconnection delay comes first');
  t.equal(blocks[1]?.event, 'snapshot');
  t.equal(blocks[2]?.comment, 'keep-alive');
  t.equal(blocks[3]?.comment, 'keep-alive');
});

t.test('a client that disconnects is unsubscribed', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);
  client.close();
  await world.live.waitForSubscribers((n) => n === 0);
  t.equal(world.live.subscriberCount('room-alice'), 0);
  world.live.publish('room-alice', { type: 'conference-ended', conferenceId: 'conf-room-alice', reason: 'host-ended' });
  t.pass('publishing after the disconnect is harmless');
});

t.test('many clients connecting and leaving leave no subscription behind', async (t) => {
  t.setTimeout(20_000);
  const { world, base } = await listening(t);
  const clients = await Promise.all(
    Array.from({ length: 20 }, () => openSse(`${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice))),
  );
  for (const client of clients) await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 20);
  for (const client of clients) client.close();
  await world.live.waitForSubscribers((n) => n === 0);
  t.equal(world.live.subscriberCount(), 0);
});

t.test('one client leaving does not disturb another', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const staying = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  const leaving = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.dave));
  await staying.nextEvent();
  await leaving.nextEvent();
  await world.live.waitForSubscribers((n) => n === 2);
  leaving.close();
  await world.live.waitForSubscribers((n) => n === 1);
  world.live.publish('room-alice', { type: 'conference-updated', conference: { ...testConference('room-alice'), locked: true } });
  const event = await staying.nextEvent();
  t.equal(event?.event, 'conference-updated');
  t.equal(JSON.parse(event?.data ?? '').conference.locked, true);
});

t.test('a client that stops reading is dropped instead of buffered for without bound', async (t) => {
  t.setTimeout(30_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);
  client.pause();
  // About 150 KB per event: the socket buffers fill, then the server's own queue passes 1 MiB.
  const legs = Array.from({ length: 500 }, (_, i) => testLeg({ id: `leg-${String(i)}`, name: 'n'.repeat(64) }));
  const big = { ...testConference('room-alice'), legs };
  for (let i = 0; i < 400 && world.live.subscriberCount() > 0; i++) {
    world.live.publish('room-alice', { type: 'conference-updated', conference: big });
    // Let the socket drain into the kernel between bursts, as a real event source would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(world.live.subscriberCount(), 0, 'the slow client was dropped and unsubscribed');
});

t.test('a HEAD request does not open a stream', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'HEAD', url: '/v1/rooms/room-alice/live/events', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 405, 'HEAD is not a method of the stream');
  t.equal(res.headers.allow, 'GET');
  t.equal(world.live.subscriberCount(), 0);
});

t.test('closing the app ends open streams and unsubscribes them', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  await client.nextEvent();
  await world.live.waitForSubscribers((n) => n === 1);
  await world.app.close();
  t.equal(world.live.subscriberCount(), 0);
  t.equal(await client.nextEvent(), null, 'the client sees the stream end');
});

t.test('a stream without a valid key is refused with a JSON 401 and subscribes nothing', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, { authorization: 'Bearer wrong' });
  t.equal(client.status, 401);
  t.equal(JSON.parse(client.text ?? '').code, 'UNAUTHORIZED');
  t.equal(world.live.subscriberCount(), 0);
});

t.test('a stream for a room the user may not see is refused with a JSON 404 and subscribes nothing', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  const client = await stream(t, `${base}/v1/rooms/room-eve/live/events`, auth(world.users.alice));
  t.equal(client.status, 404);
  t.same(JSON.parse(client.text ?? ''), { code: 'NOT_FOUND', message: 'room not found' });
  t.equal(world.live.subscriberCount(), 0);
});

t.test('a failing subscription ends the stream after the snapshot without crashing', async (t) => {
  t.setTimeout(10_000);
  const { world, base } = await listening(t);
  world.live.subscribe = () => {
    throw new Error('bus down');
  };
  const client = await stream(t, `${base}/v1/rooms/room-alice/live/events`, auth(world.users.alice));
  t.equal((await client.nextEvent())?.event, 'snapshot');
  t.equal(await client.nextEvent(), null, 'then the stream ends');
  const health = await fetch(`${base}/healthz`);
  t.equal(health.status, 200, 'the server still serves');
});

t.test('SSE framing splits multi-line data and strips line breaks from single-line fields', async (t) => {
  t.equal(formatSseEvent({ event: 'x', id: '7', data: '{"a":1}' }), 'event: x\nid: 7\ndata: {"a":1}\n\n');
  t.equal(formatSseEvent({ event: 'x\nevent: evil', id: '1\r\n', data: 'a\nb\r\nc' }), 'event: xevent: evil\nid: 1\ndata: a\ndata: b\ndata: c\n\n');
  t.equal(formatSseComment('keep\nalive'), ': keepalive\n\n');
});
