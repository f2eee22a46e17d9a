/**
 * Browser sign-in (docs/administration.md, "Browser sessions"): one answer for every wrong
 * credential, the limiter, CSRF for cookie requests, and revocation that acts at once — also
 * on an open event stream, read over a real socket.
 */
import t, { type Test } from 'tap';
import { openSse, type SseClient } from '../../http/support/sse-client.ts';
import { buildFixture, OPERATOR_KEY, PASSWORD, signIn, type AppWorld, type Fixture, type Json } from './support/admin-world.ts';

const SIGN_IN = '/v1/session';

/** A raw sign-in attempt (no helper: the test looks at everything in the answer). */
async function attempt(world: AppWorld, email: string, password: string, remoteAddress = '127.0.0.1'): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
  const res = await world.app.inject({ method: 'POST', url: SIGN_IN, payload: { email, password }, remoteAddress });
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
}

/** Resolves true when the stream ends within `ms` (reading and dropping whatever comes first). */
async function endsWithin(client: SseClient, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const drained = (async () => {
    while ((await client.next()) !== null) {
      // Keep reading: only the end matters.
    }
    return true;
  })();
  const result = await Promise.race([
    drained,
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, ms);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

/** Opens R1's live stream with `headers`, closed at teardown; waits for the snapshot. */
async function openR1Stream(t: Test, fx: Fixture, headers: Record<string, string>): Promise<SseClient> {
  const client = await openSse(`${fx.world.base}/v1/rooms/${fx.r1}/live/events`, headers);
  t.teardown(() => {
    client.close();
  });
  t.equal(client.status, 200, 'the stream opens');
  const first = await client.nextEvent();
  t.equal(first?.event, 'snapshot', 'and starts with a snapshot');
  return client;
}

t.test('a wrong password, an unknown email and a user without a password answer alike', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const noPassword = `nopass-${fx.h1.id}@example.test`;
  await world.expect(201, 'POST', '/v1/users', { key: fx.a.admin.key }, { name: 'No Password', email: noPassword, role: 'host' });
  const wrong = await attempt(world, fx.h1.email, 'not the password at all');
  const unknown = await attempt(world, 'nobody-at-all@example.test', 'not the password at all');
  const passwordless = await attempt(world, noPassword, 'not the password at all');
  t.equal(wrong.status, 401, 'a wrong password is 401');
  t.equal(wrong.body.code, 'UNAUTHORIZED');
  t.equal(unknown.status, wrong.status, 'an unknown email: the same status');
  t.same(unknown.body, wrong.body, 'and the same body');
  t.equal(passwordless.status, wrong.status, 'a user without a password: the same status');
  t.same(passwordless.body, wrong.body, 'and the same body');
  for (const answer of [wrong, unknown, passwordless]) t.equal(answer.headers['set-cookie'], undefined, 'no cookie is set');
  // The right password of a user whose account is suspended answers alike too.
  await world.expect(200, 'POST', `/v1/accounts/${fx.b.accountId}/suspend`, { key: OPERATOR_KEY });
  const suspended = await attempt(world, fx.hb.email, PASSWORD);
  t.equal(suspended.status, wrong.status, 'a suspended account: the same status');
  t.same(suspended.body, wrong.body, 'and the same body');
});

t.test('signing in sets an HttpOnly, SameSite=Strict session cookie and answers the user, a CSRF token and the expiry', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const before = Date.now();
  const res = await attempt(world, fx.h1.email.toUpperCase(), PASSWORD);
  t.equal(res.status, 200, 'the right password signs in (the email in any case)');
  t.equal(res.body.user?.id, fx.h1.id);
  t.type(res.body.csrfToken, 'string');
  t.ok(res.body.csrfToken.length >= 16, 'the CSRF token is long enough to be unguessable');
  const expires = Date.parse(res.body.expiresAt);
  t.ok(expires > before + 11 * 3_600_000 && expires <= Date.now() + 12 * 3_600_000 + 1000, 'the session lasts SESSION_HOURS (12)');
  const setCookie = String(res.headers['set-cookie']);
  t.match(setCookie, /^dialbridge_session=[^;]+/, 'the cookie is dialbridge_session');
  t.match(setCookie, /;\s*HttpOnly/i, 'HttpOnly');
  t.match(setCookie, /;\s*SameSite=Strict/i, 'SameSite=Strict');
  t.match(setCookie, /;\s*Path=\//i, 'Path=/');
  t.notMatch(setCookie, /;\s*Secure/i, 'not Secure over plain HTTP');
  t.notMatch(JSON.stringify(res.body), /passwordHash|argon2/, 'nothing of the password comes back');

  const session = await signIn(world, fx.h1.email);
  const status = await world.expect(200, 'GET', SIGN_IN, session);
  t.equal(status.user?.id, fx.h1.id, 'GET /v1/session answers the signed-in user');
  t.type(status.expiresAt, 'string', 'and the expiry');
  // A person signs in and makes their own API key, as a newcomer would.
  const made = await world.expect(201, 'POST', '/v1/users/me/api-keys', session, { name: 'laptop' });
  t.type(made.key, 'string', 'the key is shown once');
  t.equal((await world.call('GET', '/v1/users/me', { key: made.key })).body?.id, fx.h1.id, 'and it works');
  const listed = await world.expect(200, 'GET', `/v1/users/${fx.h1.id}/api-keys`, session);
  t.notMatch(JSON.stringify(listed), new RegExp(made.key as string), 'the list never shows a key');
  t.equal((await world.call('GET', SIGN_IN, {})).status, 401, 'without the cookie nobody is signed in');
});

t.test('the limiter engages per source address and per email, with Retry-After', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t, { loginAttemptsPerMinute: 3 });
  const { world } = fx;
  // Per source: three tries from one address at different emails, then the fourth is refused.
  const fromOne = [];
  for (let i = 0; i < 4; i++) fromOne.push(await attempt(world, `guess-${i}@example.test`, 'wrong wrong wrong', '192.0.2.10'));
  t.same(fromOne.slice(0, 3).map((a) => a.status), [401, 401, 401], 'three wrong attempts are answered 401');
  t.equal(fromOne[3]?.status, 429, 'the fourth from the same address is 429');
  t.equal(fromOne[3]?.body.code, 'RATE_LIMITED');
  t.match(String(fromOne[3]?.headers['retry-after']), /^[1-9][0-9]*$/, 'with Retry-After in seconds');
  const rightButLimited = await attempt(world, fx.h1.email, PASSWORD, '192.0.2.10');
  t.equal(rightButLimited.status, 429, 'even the right password is refused from that address now');
  t.equal((await attempt(world, fx.h1.email, PASSWORD, '192.0.2.99')).status, 200, 'another address still signs in');

  // Per email: three tries at one email from different addresses, then the fourth is refused.
  const atOne = [];
  for (let i = 0; i < 4; i++) atOne.push(await attempt(world, fx.h2.email, 'wrong wrong wrong', `198.51.100.${i + 1}`));
  t.same(atOne.slice(0, 3).map((a) => a.status), [401, 401, 401]);
  t.equal(atOne[3]?.status, 429, 'the fourth attempt at the same email is 429 from any address');
  t.equal(atOne[3]?.body.code, 'RATE_LIMITED');
  t.equal((await attempt(world, fx.h2.email, PASSWORD, '198.51.100.77')).status, 429, 'the right password for that email waits too');
});

t.test('a change made with the session cookie needs the CSRF token; reads and bearer keys do not', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const session = await signIn(world, fx.h1.email);
  const cookieOnly = { cookie: session.cookie };

  t.equal((await world.call('GET', '/v1/users/me', cookieOnly)).status, 200, 'a read with the cookie alone is fine');
  const missing = await world.call('PATCH', '/v1/users/me', cookieOnly, { name: 'Changed without token' });
  t.equal(missing.status, 403, 'a change without x-csrf-token is 403');
  t.equal(missing.body?.code, 'CSRF_INVALID');
  const wrong = await world.call('PATCH', '/v1/users/me', { cookie: session.cookie, csrfToken: 'x'.repeat(43) }, { name: 'Changed with a wrong token' });
  t.equal(wrong.status, 403, 'a wrong token is 403');
  t.equal(wrong.body?.code, 'CSRF_INVALID');
  const other = await signIn(world, fx.h2.email);
  const crossed = await world.call('PATCH', '/v1/users/me', { cookie: session.cookie, csrfToken: other.csrfToken }, { name: 'Changed with another session\'s token' });
  t.equal(crossed.body?.code, 'CSRF_INVALID', 'another session\'s token does not do');
  for (const [method, url, payload] of [
    ['POST', `/v1/rooms/${fx.r1}/mute-all`, undefined],
    ['PUT', `/v1/rooms/${fx.r1}/pins`, { participantPin: 'generate' }],
    ['DELETE', SIGN_IN, undefined],
  ] as const) {
    const answer = await world.call(method, url, cookieOnly, payload);
    t.equal(answer.body?.code, 'CSRF_INVALID', `${method} ${url.replace(fx.r1, '{R1}')} without the token is CSRF_INVALID`);
  }
  t.equal((await world.expect(200, 'GET', '/v1/users/me', cookieOnly)).name, 'Hanna One', 'the refused changes changed nothing');
  t.equal((await world.call('GET', SIGN_IN, cookieOnly)).status, 200, 'and the session is still live');

  const ok = await world.call('PATCH', '/v1/users/me', session, { name: 'Hanna Renamed' });
  t.equal(ok.status, 200, 'with the token the change is made');
  t.equal(ok.body?.name, 'Hanna Renamed');
  const bearer = await world.call('PATCH', '/v1/users/me', { key: fx.h1.key }, { name: 'Hanna One' });
  t.equal(bearer.status, 200, 'a bearer key needs no CSRF token');
});

t.test('signing out revokes the session at once', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const session = await signIn(world, fx.d1.email);
  const second = await signIn(world, fx.d1.email);
  t.equal((await world.call('GET', `/v1/rooms/${fx.r1}`, session)).status, 200, 'signed in, the delegate sees the host\'s room');
  t.equal((await world.call('DELETE', SIGN_IN, session)).status, 204, 'DELETE /v1/session signs out');
  for (const [method, url] of [['GET', SIGN_IN], ['GET', `/v1/rooms/${fx.r1}`], ['GET', '/v1/users/me']] as const) {
    const answer = await world.call(method, url, session);
    t.equal(answer.status, 401, `${method} ${url.replace(fx.r1, '{R1}')} with the old cookie is 401 at once`);
    t.equal(answer.body?.code, 'UNAUTHORIZED');
  }
  t.equal((await world.call('GET', SIGN_IN, second)).status, 200, 'another session of the same user lives on');
});

t.test('a changed password signs the user out of their other sessions', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const here = await signIn(world, fx.h2.email);
  const elsewhere = await signIn(world, fx.h2.email);
  t.equal((await world.call('PUT', '/v1/users/me/password', here, { password: 'a brand new long password' })).status, 204);
  t.equal((await world.call('GET', SIGN_IN, elsewhere)).status, 401, 'the other session ends');
  t.equal((await world.call('GET', SIGN_IN, here)).status, 200, 'the session that changed it lives on');
  t.equal((await attempt(world, fx.h2.email, PASSWORD)).status, 401, 'the old password no longer signs in');
  t.equal((await attempt(world, fx.h2.email, 'a brand new long password')).status, 200, 'the new one does');
});

t.test('a revoked API key stops working at once, whoever revokes it', async (t) => {
  t.setTimeout(60_000);
  const fx = await buildFixture(t);
  const { world } = fx;
  const own = await world.expect(201, 'POST', '/v1/users/me/api-keys', { key: fx.h1.key }, { name: 'own' });
  const byAdmin = await world.expect(201, 'POST', '/v1/users/me/api-keys', { key: fx.h1.key }, { name: 'admin revokes' });
  t.equal((await world.call('GET', '/v1/rooms', { key: own.key })).status, 200);
  t.equal((await world.call('DELETE', `/v1/users/me/api-keys/${own.id as string}`, { key: fx.h1.key })).status, 204, 'the owner revokes a key');
  const after = await world.call('GET', '/v1/rooms', { key: own.key });
  t.equal(after.status, 401, 'the next request with it is 401');
  t.equal(after.body?.code, 'UNAUTHORIZED');
  t.equal((await world.call('DELETE', `/v1/users/${fx.h1.id}/api-keys/${byAdmin.id as string}`, { key: fx.a.admin.key })).status, 204, 'an admin revokes another user\'s key');
  t.equal((await world.call('GET', '/v1/rooms', { key: byAdmin.key })).status, 401, 'and it stops working too');
  t.equal((await world.call('GET', '/v1/rooms', { key: fx.h1.key })).status, 200, 'the user\'s other keys go on working');
  const listed = await world.expect(200, 'GET', `/v1/users/${fx.h1.id}/api-keys`, { key: fx.h1.key });
  const revoked = listed.items.find((k: { id: string }) => k.id === own.id);
  t.type(revoked?.revokedAt, 'string', 'the list shows when it was revoked');
});

t.test('signing out ends an open event stream of that session', async (t) => {
  t.setTimeout(30_000);
  const fx = await buildFixture(t);
  const session = await signIn(fx.world, fx.h1.email);
  const client = await openR1Stream(t, fx, { cookie: session.cookie });
  t.equal((await fx.world.call('DELETE', SIGN_IN, session)).status, 204);
  t.ok(await endsWithin(client, 5000), 'the stream ends within 5 s of signing out');
});

t.test('revoking an API key ends an open event stream opened with it', async (t) => {
  t.setTimeout(30_000);
  const fx = await buildFixture(t);
  const made = await fx.world.expect(201, 'POST', '/v1/users/me/api-keys', { key: fx.d1.key }, { name: 'stream' });
  const client = await openR1Stream(t, fx, { authorization: `Bearer ${made.key as string}` });
  const untouched = await openR1Stream(t, fx, { authorization: `Bearer ${fx.h1.key}` });
  t.equal((await fx.world.call('DELETE', `/v1/users/${fx.d1.id}/api-keys/${made.id as string}`, { key: fx.a.admin.key })).status, 204);
  t.ok(await endsWithin(client, 5000), 'the stream ends within 5 s of the revocation');
  t.notOk(await endsWithin(untouched, 300), 'a stream of another key stays open');
});

t.test('ending a delegation ends the delegate\'s open event stream of the host\'s room', async (t) => {
  t.setTimeout(30_000);
  const fx = await buildFixture(t);
  const client = await openR1Stream(t, fx, { authorization: `Bearer ${fx.d1.key}` });
  t.equal((await fx.world.call('DELETE', `/v1/delegations/${fx.d1.id}/${fx.h1.id}`, { key: fx.a.admin.key })).status, 204);
  t.ok(await endsWithin(client, 5000), 'the stream ends within 5 s');
});

t.test('suspending the account ends its users\' open event streams', async (t) => {
  t.setTimeout(30_000);
  const fx = await buildFixture(t);
  const client = await openR1Stream(t, fx, { authorization: `Bearer ${fx.h1.key}` });
  t.equal((await fx.world.call('POST', `/v1/accounts/${fx.a.accountId}/suspend`, { key: OPERATOR_KEY })).status, 200);
  t.ok(await endsWithin(client, 5000), 'the stream ends within 5 s of the suspension');
});
