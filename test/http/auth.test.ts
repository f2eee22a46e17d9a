import t from 'tap';
import { bearerToken } from '../../src/http/principal-hook.ts';
import { auth, buildTestWorld } from './support/test-world.ts';

t.test('a request without an Authorization header is answered 401 UNAUTHORIZED', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms' });
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHORIZED');
  t.type(res.json().message, 'string');
});

t.test('an unknown, malformed or non-bearer key gets the same 401 answer', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const headers = ['Bearer not-a-key', 'Bearer', 'Basic a2V5LWFsaWNlOng=', 'key-alice-0123456789', 'Bearer key alice', `Bearer ${'x'.repeat(600)}`];
  const bodies = new Set<string>();
  for (const authorization of headers) {
    const res = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: { authorization } });
    t.equal(res.statusCode, 401, authorization.slice(0, 30));
    bodies.add(res.body);
  }
  t.equal(bodies.size, 1, 'the body never tells which way the key was wrong');
});

t.test('a valid key is accepted whatever the case of the Bearer scheme', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: { authorization: 'bearer key-alice-0123456789' } });
  t.equal(res.statusCode, 200);
});

t.test('auth is checked before validation, so an anonymous client learns nothing about routes', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'PATCH', url: '/v1/rooms/room-alice/legs/leg-host', payload: { name: '' } });
  t.equal(res.statusCode, 401);
  t.same(world.commands.calls, []);
});

t.test('the API key never appears in the logs, even for a rejected key', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: auth(world.users.alice) });
  await world.app.inject({ method: 'GET', url: '/v1/rooms', headers: { authorization: 'Bearer secret-wrong-key-42' } });
  t.ok(world.logs.length > 0, 'requests were logged');
  t.notMatch(world.logText(), /key-alice-0123456789/);
  t.notMatch(world.logText(), /secret-wrong-key-42/);
});

t.test('authorization headers are redacted from anything the app logs', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.app.log.info({ headers: { authorization: 'Bearer key-alice-0123456789' } }, 'probe');
  const line = world.logs.find((entry) => entry.msg === 'probe');
  t.same(line?.headers, { authorization: '[redacted]' });
  t.notMatch(world.logText(), /key-alice/);
});

t.test('the injected logger keeps its own redaction when the app logs', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.app.log.info({ pin: '4711', headers: { Authorization: 'Bearer key-alice-0123456789', host: 'h' } }, 'probe');
  const line = world.logs.find((entry) => entry.msg === 'probe');
  t.equal(line?.pin, '[redacted]');
  t.same(line?.headers, { Authorization: '[redacted]', host: 'h' });
});

t.test('bearerToken extracts the token and rejects anything else', async (t) => {
  t.equal(bearerToken('Bearer abc.DEF-123_~+/=='), 'abc.DEF-123_~+/==');
  t.equal(bearerToken('BEARER   abc  '), 'abc');
  t.equal(bearerToken(undefined), null);
  t.equal(bearerToken(''), null);
  t.equal(bearerToken('Bearer a b'), null);
  t.equal(bearerToken('Bearer a\nb'), null);
  t.equal(bearerToken('Token abc'), null);
});
