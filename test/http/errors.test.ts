import t from 'tap';
import { errorResponse } from '../../src/http/error-handler.ts';
import { AppError } from '../../src/lib/errors.ts';
import { auth, buildTestWorld } from './support/test-world.ts';

t.test('an unknown route is 404 NOT_FOUND with the standard body', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  for (const url of ['/nope', '/v1/nope', '/v1/rooms/room-alice/legs']) {
    const res = await world.app.inject({ method: 'GET', url, headers: auth(world.users.alice) });
    t.equal(res.statusCode, 404, url);
    t.same(res.json(), { code: 'NOT_FOUND', message: 'no such route' });
  }
});

t.test('malformed JSON is 400 BAD_REQUEST', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({
    method: 'PATCH',
    url: '/v1/rooms/room-alice/legs/leg-anon',
    headers: { ...auth(world.users.alice), 'content-type': 'application/json' },
    payload: '{"name": "Carol',
  });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'BAD_REQUEST');
  t.same(world.commands.calls, []);
});

t.test('an empty JSON body, a wrong content type and an oversized body are client errors', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const url = '/v1/rooms/room-alice/legs/leg-anon';
  const empty = await world.app.inject({ method: 'PATCH', url, headers: { ...auth(world.users.alice), 'content-type': 'application/json' }, payload: '' });
  const text = await world.app.inject({ method: 'PATCH', url, headers: { ...auth(world.users.alice), 'content-type': 'application/xml' }, payload: '<name>Carol</name>' });
  const huge = await world.app.inject({ method: 'PATCH', url, headers: auth(world.users.alice), payload: { name: 'x'.repeat(100_000) } });
  t.equal(empty.statusCode, 400);
  t.equal(text.statusCode, 415);
  t.equal(huge.statusCode, 413);
  for (const res of [empty, text]) t.equal(res.json().code, 'BAD_REQUEST');
  t.equal(huge.json().code, 'PAYLOAD_TOO_LARGE', 'an oversized body has its own code');
  t.same(world.commands.calls, []);
});

t.test('an over-long path parameter is rejected with a message naming it', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'POST', url: `/v1/rooms/room-alice/legs/${'l'.repeat(200)}/mute`, headers: auth(world.users.alice) });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { code: 'BAD_REQUEST', message: 'params/legId must NOT have more than 128 characters' });
});

t.test('a path parameter beyond the router limit and a malformed escape get the standard error body', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const long = await world.app.inject({ method: 'GET', url: `/v1/rooms/${'r'.repeat(300)}`, headers: auth(world.users.alice) });
  t.equal(long.statusCode, 414);
  t.equal(long.json().code, 'BAD_REQUEST');
  const bad = await world.app.inject({ method: 'GET', url: '/v1/rooms/%E0%A4%A', headers: auth(world.users.alice) });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'BAD_REQUEST');
  t.same(Object.keys(bad.json()).sort(), ['code', 'message']);
});

t.test('a failing store is a 500 INTERNAL, not a crash', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.store.apiKeys.resolve = () => {
    throw new Error('database is locked');
  };
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { code: 'INTERNAL', message: 'internal error' });
  const again = await world.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(again.statusCode, 200, 'the app still serves');
});

t.test('garbage requests never crash the app', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const junk = [
    { method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', payload: '[]' },
    { method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', payload: 'null' },
    { method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', payload: '{"name":{"$gt":""}}' },
    { method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-anon', payload: '{"__proto__":{"name":"x"}}' },
    { method: 'GET', url: '/v1/rooms/%E0%A4%A' },
    { method: 'DELETE', url: '/v1/rooms/room-alice' },
  ] as const;
  for (const request of junk) {
    const res = await world.app.inject({ ...request, headers: { ...auth(world.users.alice), 'content-type': 'application/json' } });
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${request.method} ${request.url} ${'payload' in request ? request.payload : ''} → ${String(res.statusCode)}`);
    t.type(res.json().code, 'string');
  }
  t.same(world.commands.calls, []);
});

t.test('errorResponse maps error kinds to status and body', async (t) => {
  t.same(errorResponse(new AppError('ROOM_LOCKED', 'room is locked')), { status: 409, body: { code: 'ROOM_LOCKED', message: 'room is locked' } });
  t.same(errorResponse(new TypeError('x is undefined')), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  t.same(errorResponse('a string'), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  t.same(errorResponse(undefined), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
  const server = Object.assign(new Error('boom'), { code: 'FST_SOMETHING', statusCode: 500 });
  t.same(errorResponse(server), { status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
});
