/**
 * The API's strict edges, inherited by every route from the app: a wrong method is 405 with
 * Allow, an oversized body 413 PAYLOAD_TOO_LARGE, a body is validated as sent (no type
 * coercion, unknown fields rejected and named), and a route that takes no body refuses one.
 */
import t from 'tap';
import { auth, buildTestWorld } from './support/test-world.ts';

const LEG = '/v1/rooms/room-alice/legs/leg-anon';

t.test('a wrong method on an existing route is 405 with Allow, not 404', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const cases: [method: 'GET' | 'DELETE' | 'PUT' | 'POST', url: string, allow: string][] = [
    ['GET', `${LEG}/mute`, 'POST'],
    ['DELETE', LEG, 'PATCH'],
    ['DELETE', '/v1/rooms', 'GET, HEAD, POST'],
    ['PUT', '/v1/rooms/room-alice/lock', 'POST'],
  ];
  for (const [method, url, allow] of cases) {
    const res = await world.app.inject({ method, url, headers: auth(world.users.alice) });
    t.equal(res.statusCode, 405, `${method} ${url}`);
    t.equal(res.headers.allow, allow, `Allow: ${allow}`);
    t.equal(res.json().code, 'METHOD_NOT_ALLOWED');
  }
  const missing = await world.app.inject({ method: 'GET', url: '/v1/nothing/here', headers: auth(world.users.alice) });
  t.equal(missing.statusCode, 404, 'a path that exists with no method is still 404');
  t.same(world.commands.calls, []);
});

t.test('a body over the limit is 413 PAYLOAD_TOO_LARGE', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: LEG, headers: auth(world.users.alice), payload: { name: 'x'.repeat(20_000) } });
  t.equal(res.statusCode, 413);
  t.equal(res.json().code, 'PAYLOAD_TOO_LARGE');
  t.same(world.commands.calls, []);
});

t.test('a name that is not a string is 400 naming the field, never coerced', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  for (const name of [42, true, ['a'], null, { first: 'a' }]) {
    const res = await world.app.inject({ method: 'PATCH', url: LEG, headers: auth(world.users.alice), payload: { name } });
    t.equal(res.statusCode, 400, JSON.stringify(name));
    t.same(res.json(), { code: 'BAD_REQUEST', message: 'body/name must be string' });
  }
  t.same(world.commands.calls, [], 'no rename ran');
});

t.test('an unknown body field is 400 naming it (not silently dropped)', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: LEG, headers: auth(world.users.alice), payload: { name: 'Carol', colour: 'red' } });
  t.equal(res.statusCode, 400);
  t.same(res.json(), { code: 'BAD_REQUEST', message: 'body/colour is not a known field' });
  t.same(world.commands.calls, []);
});

t.test('a body that is not an object is 400', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  for (const payload of ['true', '["a"]', '"Carol"']) {
    const res = await world.app.inject({ method: 'PATCH', url: LEG, headers: { ...auth(world.users.alice), 'content-type': 'application/json' }, payload });
    t.equal(res.statusCode, 400, payload);
    t.equal(res.json().code, 'BAD_REQUEST');
  }
  t.same(world.commands.calls, []);
});

t.test('a command route given a body it does not take rejects it; no body or {} is fine', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const withBody = await world.app.inject({ method: 'POST', url: `${LEG}/mute`, headers: auth(world.users.alice), payload: { all: true } });
  t.equal(withBody.statusCode, 400);
  t.same(withBody.json(), { code: 'BAD_REQUEST', message: 'body: this route takes no request body' });
  const text = await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/lock', headers: { ...auth(world.users.alice), 'content-type': 'text/plain' }, payload: 'please' });
  t.equal(text.statusCode, 400, 'a text body is refused too');
  t.same(world.commands.calls, [], 'no command ran');
  const none = await world.app.inject({ method: 'POST', url: `${LEG}/mute`, headers: auth(world.users.alice) });
  const empty = await world.app.inject({ method: 'POST', url: `${LEG}/unmute`, headers: auth(world.users.alice), payload: {} });
  t.equal(none.statusCode, 204);
  t.equal(empty.statusCode, 204);
  t.equal(world.commands.calls.length, 2);
});

t.test('a route added later inherits the rules; query strings still coerce (they are text on the wire)', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.app.post(
    '/later/:id',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer' } }, additionalProperties: false },
        body: { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'], additionalProperties: false },
      },
    },
    async (request) => ({ query: request.query, body: request.body }),
  );
  const ok = await world.app.inject({ method: 'POST', url: '/later/1?limit=10', payload: { count: 3 } });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { query: { limit: 10 }, body: { count: 3 } }, '?limit=10 is the integer 10');
  const coerced = await world.app.inject({ method: 'POST', url: '/later/1', payload: { count: '3' } });
  t.same([coerced.statusCode, coerced.json().message], [400, 'body/count must be integer'], 'a body string is not made a number');
  const extraBody = await world.app.inject({ method: 'POST', url: '/later/1', payload: { count: 3, more: 1 } });
  t.same([extraBody.statusCode, extraBody.json().message], [400, 'body/more is not a known field']);
  const extraQuery = await world.app.inject({ method: 'POST', url: '/later/1?colour=red', payload: { count: 3 } });
  t.same([extraQuery.statusCode, extraQuery.json().message], [400, 'querystring/colour is not a known field'], 'an unknown query parameter is named, not dropped');
  const wrongMethod = await world.app.inject({ method: 'GET', url: '/later/1' });
  t.same([wrongMethod.statusCode, wrongMethod.headers.allow], [405, 'POST']);
});
