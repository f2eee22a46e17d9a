import t from 'tap';
import { AppError } from '../../src/lib/errors.ts';
import { auth, buildTestWorld } from './support/test-world.ts';

t.test('each leg command is dispatched once with the user as actor and answered 204', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  for (const command of ['mute', 'unmute', 'hold', 'unhold', 'drop'] as const) {
    const res = await world.app.inject({ method: 'POST', url: `/v1/rooms/room-alice/legs/leg-anon/${command}`, headers: auth(world.users.dave) });
    t.equal(res.statusCode, 204, command);
    t.equal(res.body, '', `${command} has no body`);
    t.same(world.commands.calls.at(-1), { kind: 'leg', roomId: 'room-alice', legId: 'leg-anon', command, actor: { kind: 'user', principal: { kind: 'user', id: 'u-dave', accountId: 'acct-a', role: 'delegate', actsFor: ['u-alice'] }, via: 'api-key', sourceAddress: '127.0.0.1' } });
  }
  t.equal(world.commands.calls.length, 5);
});

t.test('each room command is dispatched once with the user as actor and answered 204', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  for (const command of ['lock', 'unlock', 'mute-all', 'unmute-all', 'end'] as const) {
    const res = await world.app.inject({ method: 'POST', url: `/v1/rooms/room-alice/${command}`, headers: auth(world.users.ada) });
    t.equal(res.statusCode, 204, command);
    t.same(world.commands.calls.at(-1), { kind: 'room', roomId: 'room-alice', command, actor: { kind: 'user', principal: { kind: 'user', id: 'u-ada', accountId: 'acct-a', role: 'admin', actsFor: [] }, via: 'api-key', sourceAddress: '127.0.0.1' } });
  }
});

t.test('an unknown command is an unknown route (404) and reaches no flow', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const leg = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/legs/leg-anon/explode', headers: auth(world.users.alice) });
  const room = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/explode', headers: auth(world.users.alice) });
  t.equal(leg.statusCode, 404);
  t.equal(room.statusCode, 404);
  t.equal(leg.json().code, 'NOT_FOUND');
  t.same(world.commands.calls, []);
});

t.test('renaming a leg passes the trimmed name and answers 204', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', headers: auth(world.users.alice), payload: { name: '  Carol from Finance  ' } });
  t.equal(res.statusCode, 204);
  t.same(world.commands.calls, [{ kind: 'rename', roomId: 'room-alice', legId: 'leg-anon', name: 'Carol from Finance', actor: { kind: 'user', principal: { kind: 'user', id: 'u-alice', accountId: 'acct-a', role: 'host', actsFor: [] }, via: 'api-key', sourceAddress: '127.0.0.1' } }]);
});

t.test('an empty name is rejected with a message naming the field', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', headers: auth(world.users.alice), payload: { name: '' } });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { code: 'BAD_REQUEST', message: 'body/name must NOT have fewer than 1 characters' });
  t.same(world.commands.calls, []);
});

t.test('a blank name is rejected as blank', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', headers: auth(world.users.alice), payload: { name: ' \t ' } });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { code: 'BAD_REQUEST', message: 'body/name must not be blank' });
  t.same(world.commands.calls, []);
});

t.test('a name longer than 64 characters is rejected with a message naming the field', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', headers: auth(world.users.alice), payload: { name: 'x'.repeat(65) } });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { code: 'BAD_REQUEST', message: 'body/name must NOT have more than 64 characters' });
});

t.test('a rename without a name is rejected with a message naming the field', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', headers: auth(world.users.alice), payload: { nick: 'Carol' } });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'BAD_REQUEST');
  t.match(res.json().message, /name/);
});

t.test('an AppError from the flows keeps its code and maps to its HTTP status', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const cases = [
    [new AppError('CONFERENCE_NOT_ACTIVE', 'no conference is running in this room'), 409],
    [new AppError('NOT_FOUND', 'leg not found'), 404],
    [new AppError('FORBIDDEN', 'participants may not do that'), 403],
    [new AppError('LEG_GONE', 'the leg has left'), 409],
    [new AppError('ENGINE_UNAVAILABLE', 'media engine unavailable'), 503],
    [new AppError('OPERATION_TIMEOUT', 'mute did not finish within 5000 ms'), 504],
  ] as const;
  for (const [error, status] of cases) {
    world.commands.failWith = error;
    const res = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/legs/leg-anon/mute', headers: auth(world.users.alice) });
    t.equal(res.statusCode, status, error.code);
    t.same(res.json(), { code: error.code, message: error.message });
  }
});

t.test('an unexpected failure in the flows is a 500 INTERNAL that reveals nothing and is logged', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.commands.failWith = new Error('SQLITE_BUSY at /var/lib/dialbridge/db.sqlite');
  const res = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/end', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { code: 'INTERNAL', message: 'internal error' });
  t.notMatch(res.body, /SQLITE|var\/lib/);
  const logged = world.logs.find((line) => line.msg === 'request failed');
  t.ok(logged, 'the failure was logged');
  t.equal(logged?.level, 50, 'at error level');
  t.match(JSON.stringify(logged), /SQLITE_BUSY/, 'with the cause, for operators');
});

t.test('an INTERNAL AppError wrapping a foreign message does not reveal it', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.commands.failWith = new AppError('INTERNAL', 'ESL socket 10.1.2.3:8021 refused');
  const res = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/lock', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { code: 'INTERNAL', message: 'internal error' });
});
