/**
 * The record's settings and reads over HTTP on the real store, by role: billing codes,
 * invoice lines, keeping spoken names, a host's email opt-out, and the history list.
 */
import t from 'tap';
import { buildFixture } from './support/admin-world.ts';

const fx = await buildFixture(t);
const { world, a, b, h1, h2, d1, r1 } = fx;

t.test("billing codes: the host, their delegate and the admin set a room's code; others cannot", async (t) => {
  t.same(await world.expect(200, 'PUT', `/v1/rooms/${r1}/billing-code`, { key: h1.key }, { billingCode: 'ACME-2026/014' }), { billingCode: 'ACME-2026/014' });
  t.same(await world.expect(200, 'PUT', `/v1/rooms/${r1}/billing-code`, { key: d1.key }, { billingCode: ' M-2 ' }), { billingCode: 'M-2' }, 'trimmed');
  t.same(await world.expect(200, 'GET', `/v1/rooms/${r1}/billing-code`, { key: a.admin.key }), { billingCode: 'M-2' });
  t.equal((await world.call('PUT', `/v1/rooms/${r1}/billing-code`, { key: h2.key }, { billingCode: 'X' })).status, 404, "another host does not see H1's room");
  t.equal((await world.call('PUT', `/v1/rooms/${r1}/billing-code`, { key: b.admin.key }, { billingCode: 'X' })).status, 404, 'nor another account');
  t.equal((await world.call('PUT', `/v1/rooms/${r1}/billing-code`, { key: h1.key }, { billingCode: 'no spaces inside' })).status, 400);
  t.equal((await world.call('PUT', `/v1/rooms/${r1}/billing-code`, { key: h1.key }, { billingCode: 42 })).status, 400, 'no coercion');
  t.same(await world.expect(200, 'PUT', `/v1/rooms/${r1}/billing-code`, { key: h1.key }, { billingCode: null }), { billingCode: null }, 'null clears it');
  t.equal((await world.call('PUT', '/v1/conferences/no-such/billing-code', { key: h1.key }, { billingCode: 'X' })).status, 404);
});

t.test('invoice lines are for the account admin (and the operator), by month', async (t) => {
  t.same(await world.expect(200, 'GET', '/v1/invoice-lines?month=2026-01', { key: a.admin.key }), { items: [], nextCursor: null });
  t.equal((await world.call('GET', '/v1/invoice-lines?month=2026-01', { key: h1.key })).status, 403);
  t.equal((await world.call('GET', '/v1/invoice-lines?month=2026-13', { key: a.admin.key })).status, 400);
  t.equal((await world.call('GET', `/v1/invoice-lines?month=2026-01&accountId=${a.accountId}`, { key: b.admin.key })).status, 404);
  const csv = await world.app.inject({ method: 'GET', url: '/v1/invoice-lines.csv?month=2026-01', headers: { authorization: `Bearer ${a.admin.key}` } });
  t.equal(csv.statusCode, 200);
  t.equal(csv.body.trim(), 'date,conference_id,room,host,billing_code,legs,minutes_in,minutes_out,minutes');
});

t.test('the history lists nothing of rooms one may not see; spoken names are 404 for unknown legs', async (t) => {
  t.same(await world.expect(200, 'GET', '/v1/conferences', { key: b.admin.key }), { items: [], nextCursor: null });
  t.equal((await world.call('GET', '/v1/conferences?from=yesterday', { key: h1.key })).status, 400, 'dates are ISO-8601');
  t.equal((await world.call('GET', `/v1/rooms/${r1}/legs/nobody/spoken-name`, { key: h1.key })).status, 404);
  t.equal((await world.call('GET', `/v1/rooms/${r1}/legs/nobody/spoken-name`, { key: b.admin.key })).status, 404, "another account's admin learns nothing");
});

t.test('an admin keeps spoken names with the history; a host opts out of the summary email', async (t) => {
  const account = await world.expect(200, 'PATCH', `/v1/accounts/${a.accountId}`, { key: a.admin.key }, { keepNameClips: true });
  t.equal(account.keepNameClips, true);
  t.equal((await world.call('PATCH', `/v1/accounts/${a.accountId}`, { key: h1.key }, { keepNameClips: false })).status, 403);
  const me = await world.expect(200, 'PATCH', '/v1/users/me', { key: h1.key }, { conferenceEmails: false });
  t.equal(me.conferenceEmails, false);
  t.equal((await world.expect(200, 'GET', `/v1/users/${h1.id}`, { key: a.admin.key })).conferenceEmails, false);
});
