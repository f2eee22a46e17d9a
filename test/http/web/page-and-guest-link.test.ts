/**
 * The Live Call Status page as HTTP serves it, and the API it relies on: the page's own
 * files under a Content-Security-Policy that allows nothing else; what a viewer may do in a
 * room (asked of the permission table); guest links (made by those with the room's
 * settings, stored hashed, rotated, read-only, masked).
 */
import t from 'tap';
import { buildFixture, signIn } from '../admin/support/admin-world.ts';
import { openSse } from '../support/sse-client.ts';

const f = await buildFixture(t);
const { world } = f;

t.test('the page and its scripts come from the server itself, under a strict Content-Security-Policy', async (t) => {
  for (const path of ['/', '/room.html', '/guest.html', '/console.js', '/lib/live-model.js', '/style.css']) {
    const res = await world.app.inject({ method: 'GET', url: path });
    t.equal(res.statusCode, 200, `${path} is served`);
    const csp = String(res.headers['content-security-policy']);
    t.match(csp, /default-src 'self'/, `${path}: only the page's own origin by default`);
    t.match(csp, /script-src 'self'(;|$)/, `${path}: scripts only from the page's own files (no inline, no eval)`);
    t.match(csp, /frame-ancestors 'none'/, `${path}: the page cannot be framed`);
  }
  const html = (await world.app.inject({ method: 'GET', url: '/room.html' })).body;
  t.notMatch(html, /https?:\/\//, 'the console page refers to no other site');
  t.equal((await world.app.inject({ method: 'GET', url: '/no-such-page.html' })).statusCode, 404, 'an unknown file is 404');
  t.equal((await world.call('GET', '/v1/rooms', {})).status, 401, 'the API stays behind sign-in');
});

t.test('every answer carries the same security headers: pages, API answers, refusals and 404s', async (t) => {
  const answers = [
    await world.app.inject({ method: 'GET', url: '/' }),
    await world.app.inject({ method: 'GET', url: `/v1/rooms/${f.r1}/live`, headers: { authorization: `Bearer ${f.h1.key}` } }),
    await world.app.inject({ method: 'GET', url: '/v1/rooms' }),
    await world.app.inject({ method: 'GET', url: '/no-such-page.html' }),
  ];
  t.same(answers.map((a) => a.statusCode), [200, 200, 401, 404]);
  for (const a of answers) {
    t.match(String(a.headers['content-security-policy']), /frame-ancestors 'none'/, `${String(a.statusCode)}: not framed`);
    t.equal(a.headers['x-content-type-options'], 'nosniff', `${String(a.statusCode)}: no type sniffing`);
    t.equal(a.headers['referrer-policy'], 'no-referrer');
    t.equal(a.headers['cross-origin-opener-policy'], 'same-origin');
    t.notOk(a.headers['strict-transport-security'], 'HSTS is left to the proxy');
  }
});

t.test('the console script stays under 150 KB', async (t) => {
  let total = 0;
  for (const path of ['/console.js', '/lib/api.js', '/lib/dom.js', '/lib/leg-list.js', '/lib/live-model.js', '/lib/live-stream.js']) {
    total += (await world.app.inject({ method: 'GET', url: path })).rawPayload.length;
  }
  t.ok(total < 150 * 1024, `console script is ${String(total)} bytes`);
});

t.test('GET /v1/rooms/{id}/permissions says what the permission table allows the viewer', async (t) => {
  const owner = await world.expect(200, 'GET', `/v1/rooms/${f.r1}/permissions`, { key: f.h1.key });
  t.ok(owner.actions.includes('room.control'), 'the host may control the room');
  t.ok(owner.actions.includes('room.settings'), 'and change its settings (guest link)');
  t.ok(owner.actions.includes('recording.download'), 'and download its recordings');
  const delegate = await world.expect(200, 'GET', `/v1/rooms/${f.r1}/permissions`, { key: f.d1.key });
  t.ok(delegate.actions.includes('room.control'), 'the delegate may control it');
  t.notOk(delegate.actions.includes('recording.list'), 'but never sees recordings');
  const admin = await world.expect(200, 'GET', `/v1/rooms/${f.r1}/permissions`, { key: f.a.admin.key });
  t.ok(admin.actions.includes('recording.delete') && !admin.actions.includes('recording.download'), 'an admin may delete recordings, not listen');
  t.equal((await world.call('GET', `/v1/rooms/${f.r1}/permissions`, { key: f.h2.key })).status, 404, "another host does not even see the room");
  t.equal((await world.call('GET', `/v1/rooms/${f.rb}/permissions`, { key: f.h1.key })).status, 404, "nor does another account's host");
});

t.test('a guest link opens one room read-only, masked; a new link ends the old one', async (t) => {
  t.equal((await world.call('POST', `/v1/rooms/${f.r1}/guest-link`, { key: f.h2.key })).status, 404, 'another host cannot make one');
  const session = await signIn(world, f.d1.email);
  const first = await world.expect(201, 'POST', `/v1/rooms/${f.r1}/guest-link`, session);
  t.match(first.path, /^\/guest\.html#dbg_[A-Za-z0-9_-]{43}$/, 'the link carries the token in its fragment');
  t.equal((await world.call('POST', `/v1/rooms/${f.r1}/guest-link`, { cookie: session.cookie })).status, 403, 'a cookie without the CSRF token makes none');

  const open = await world.app.inject({ method: 'POST', url: '/v1/guest/session', payload: { token: first.token } });
  t.equal(open.statusCode, 204, 'the token opens a guest view');
  const cookie = String(open.headers['set-cookie']).split(';')[0] ?? '';
  t.match(String(open.headers['set-cookie']), /HttpOnly/i, 'as an HttpOnly cookie');
  const view = await world.call('GET', '/v1/guest/live', { cookie });
  t.equal(view.status, 200);
  t.same(view.body, { room: { name: 'H1 weekly' }, conference: null }, 'the guest sees the room by name, with no conference running');
  t.notOk(JSON.stringify(world.store.guestLinks).includes(first.token as string), 'the store keeps no clear token');

  t.equal((await world.call('GET', `/v1/rooms/${f.r1}/live`, { cookie })).status, 401, 'the guest cookie opens no host route');

  const second = await world.expect(201, 'POST', `/v1/rooms/${f.r1}/guest-link`, { key: f.h1.key });
  t.not(second.token, first.token, 'rotation makes a new token');
  const stale = await world.call('GET', '/v1/guest/live', { cookie });
  t.equal(stale.status, 401, 'the old link stops working at once');
  t.match(stale.body.message, /guest link/, 'with a message about the link');
  t.equal((await world.app.inject({ method: 'POST', url: '/v1/guest/session', payload: { token: first.token } })).statusCode, 401, 'and cannot be opened again');
  const audit = await world.expect(200, 'GET', "/v1/audit?limit=100", { key: f.a.admin.key });
  t.ok(JSON.stringify(audit).includes('room.guest-link-rotated'), 'rotation is audited');
  t.notOk(JSON.stringify(audit).includes(second.token as string), 'without the token');
  await world.expect(204, 'DELETE', `/v1/rooms/${f.r1}/guest-link`, { key: f.h1.key });
  t.equal((await world.app.inject({ method: 'POST', url: '/v1/guest/session', payload: { token: second.token } })).statusCode, 401, 'a removed link opens nothing');
});

t.test("a guest's event stream starts with a snapshot and ends when the link is replaced", async (t) => {
  const link = await world.expect(201, 'POST', `/v1/rooms/${f.r2}/guest-link`, { key: f.h2.key });
  const open = await world.app.inject({ method: 'POST', url: '/v1/guest/session', payload: { token: link.token } });
  const cookie = String(open.headers['set-cookie']).split(';')[0] ?? '';
  const stream = await openSse(`${world.base}/v1/guest/live/events`, { cookie });
  t.teardown(() => {
    stream.close();
  });
  t.equal(stream.status, 200, 'the stream opens with the guest cookie');
  const snapshot = await stream.nextEvent();
  t.equal(snapshot?.event, 'snapshot');
  t.same(JSON.parse(snapshot?.data ?? 'null'), { conference: null }, 'no conference runs');
  await world.expect(201, 'POST', `/v1/rooms/${f.r2}/guest-link`, { key: f.h2.key });
  const end = await Promise.race([stream.nextEvent(), new Promise<'timeout'>((r) => setTimeout(() => { r('timeout'); }, 5000))]);
  t.equal(end, null, 'the stream ends at once when the link is replaced');
  const refused = await openSse(`${world.base}/v1/guest/live/events`, { cookie });
  t.equal(refused.status, 401, 'and cannot be opened again');
  refused.close();
});
