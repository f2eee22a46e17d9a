import t from 'tap';
import { buildTestWorld } from './support/test-world.ts';

t.test('healthz answers 200 without auth while the engine is available', async (t) => {
  const world = await buildTestWorld({ engineAvailable: () => true });
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok', engine: 'available' });
});

t.test('healthz answers 503 while the engine is unavailable', async (t) => {
  const world = await buildTestWorld({ engineAvailable: () => false });
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 503);
  t.same(res.json(), { status: 'ok', engine: 'unavailable' });
});

t.test('healthz treats a throwing engine probe as unavailable', async (t) => {
  const world = await buildTestWorld({
    engineAvailable: () => {
      throw new Error('probe failed');
    },
  });
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 503);
  t.equal(res.json().engine, 'unavailable');
});

t.test('healthz reports available when no probe is given', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(res.statusCode, 200);
});

t.test('the OpenAPI document is generated from the route schemas', async (t) => {
  const world = await buildTestWorld({ version: '1.2.3' });
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.match(doc.openapi, /^3\./);
  t.equal(doc.info.version, '1.2.3');
  t.same(doc.components.securitySchemes.apiKey, { type: 'http', scheme: 'bearer', description: 'An API key, or the operator key.' });
  t.equal(doc.components.securitySchemes.session.in, 'cookie');
  t.same(doc.paths['/healthz'].get.security, [], 'health needs no key');
  const paths = Object.keys(doc.paths);
  for (const path of [
    '/v1/rooms',
    '/v1/rooms/{roomId}',
    '/v1/rooms/{roomId}/live',
    '/v1/rooms/{roomId}/live/events',
    '/v1/rooms/{roomId}/legs/{legId}',
    '/v1/rooms/{roomId}/legs/{legId}/mute',
    '/v1/rooms/{roomId}/legs/{legId}/drop',
    '/v1/rooms/{roomId}/mute-all',
    '/v1/rooms/{roomId}/end',
    '/v1/rooms/{roomId}/pins',
    '/v1/accounts',
    '/v1/users',
    '/v1/users/{userId}/api-keys',
    '/v1/delegations',
    '/v1/service-numbers',
    '/v1/audit',
    '/v1/session',
  ]) {
    t.ok(paths.includes(path), `documents ${path}`);
  }
  const rename = doc.paths['/v1/rooms/{roomId}/legs/{legId}'].patch;
  t.equal(rename.operationId, 'renameLeg');
  const nameSchema = rename.requestBody.content['application/json'].schema.properties.name;
  t.equal(nameSchema.minLength, 1);
  t.equal(nameSchema.maxLength, 64);
  const leg = doc.paths['/v1/rooms/{roomId}/live'].get.responses['200'].content['application/json'].schema.properties.conference;
  t.match(JSON.stringify(leg), /numberWithheld/);
  t.ok(doc.paths['/v1/rooms/{roomId}/live/events'].get.responses['200'].content['text/event-stream'], 'the stream is documented as an event stream');
});

t.test('the Swagger UI is served at /docs', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/docs' });
  t.ok(res.statusCode === 200 || res.statusCode === 302, `status ${String(res.statusCode)}`);
  const page = res.statusCode === 302 ? await world.app.inject({ method: 'GET', url: `/docs/${String(res.headers.location)}` }) : res;
  t.match(page.body, /swagger/i);
});

t.test('/readyz answers 200 with its checks, and 503 when the database no longer takes writes', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const ok = await world.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { ready: true, checks: { engine: { ok: true }, database: { ok: true, detail: 'writable' } } });
  world.store.close();
  const down = await world.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(down.statusCode, 503);
  t.match(down.json(), { ready: false, checks: { database: { ok: false } } });
});
