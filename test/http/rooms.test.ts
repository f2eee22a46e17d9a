import t from 'tap';
import { auth, buildTestWorld } from './support/test-world.ts';

t.test('a host lists exactly their own rooms, ordered by name', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 200);
  t.same(
    res.json().items.map((room: { id: string }) => room.id),
    ['room-alice-2', 'room-alice'],
  );
});

t.test('an admin lists every room of their account and none of another account', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: auth(world.users.ada) });
  const ids = res.json().items.map((room: { id: string }) => room.id).sort();
  t.same(ids, ['room-alice', 'room-alice-2', 'room-bob']);
});

t.test('a room is returned with its settings and without any PIN', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice', headers: auth(world.users.dave) });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.id, 'room-alice');
  t.equal(body.name, 'Alice weekly');
  t.equal(body.settings.maxMembers, 50);
  t.equal(body.settings.endWhenHostLeavesAfterSeconds, null);
  t.notMatch(res.body, /pin/i);
});

t.test('a room is published without its PINs or their hashes', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const digest = { hash: world.store.hashPin('4711'), length: 4 };
  world.store.rooms.create({ id: 'room-leaky', name: 'Leaky', accountId: 'acct-a', ownerUserId: 'u-alice', serviceNumber: '+441632960000', participantPin: digest, hostPin: { hash: world.store.hashPin('4712'), length: 4 } });
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-leaky', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /4711|pin/i);
  t.notMatch(res.body, digest.hash);
  const list = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: auth(world.users.alice) });
  t.notMatch(list.body, /4711|pin/i);
  t.notMatch(list.body, digest.hash);
});

t.test('a room the user may not see is answered exactly like a room that does not exist', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const foreign = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-eve', headers: auth(world.users.alice) });
  const sameAccount = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-bob', headers: auth(world.users.alice) });
  const missing = await world.app.inject({ method: 'GET', url: '/v1/rooms/no-such-room', headers: auth(world.users.alice) });
  for (const res of [foreign, sameAccount, missing]) {
    t.equal(res.statusCode, 404);
    t.same(res.json(), { code: 'NOT_FOUND', message: 'room not found' });
  }
});

t.test('every route under a room answers 404 for a room the user may not see', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.live.setCurrent('room-eve', { id: 'conf-eve', roomId: 'room-eve', startedAt: '2026-11-28T10:00:00.000Z', locked: false, recording: 'off', legs: [] });
  const requests = [
    { method: 'GET', url: '/v1/rooms/room-eve/live' },
    { method: 'GET', url: '/v1/rooms/room-eve/live/events' },
    { method: 'POST', url: '/v1/rooms/room-eve/legs/leg-1/mute' },
    { method: 'PATCH', url: '/v1/rooms/room-eve/legs/leg-1', payload: { name: 'X' } },
    { method: 'POST', url: '/v1/rooms/room-eve/end' },
  ] as const;
  for (const request of requests) {
    const res = await world.app.inject({ ...request, headers: auth(world.users.alice) });
    t.equal(res.statusCode, 404, `${request.method} ${request.url}`);
    t.equal(res.json().code, 'NOT_FOUND');
  }
  t.same(world.commands.calls, [], 'no command reached the flows');
  t.equal(world.live.subscriberCount(), 0, 'no stream subscribed');
});
