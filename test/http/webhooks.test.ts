/**
 * The webhook administration API on the real store: admins only, the secret shown once,
 * loopback and private destinations refused by default (at save and at connect time), the
 * test-delivery route against a real receiver, and deliveries listed with their state.
 */
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { WebhookDeliveryJob } from '../../src/jobs/webhook-delivery-job.ts';
import { createWebhookSender } from '../../src/notify/webhooks/sender.ts';
import { webhookControl } from '../../src/notify/webhooks/webhook-service.ts';
import type { Store } from '../../src/storage/store.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { auth, buildTestWorld, TEST_OPERATOR_KEY, type TestWorld } from './support/test-world.ts';

async function world(t: Test, allowPrivate: boolean): Promise<TestWorld> {
  let job: WebhookDeliveryJob | undefined;
  const w = await buildTestWorld({
    webhooks: (store: Store) => {
      const sender = createWebhookSender({ allowPrivate });
      job = new WebhookDeliveryJob({ store, sender, clock: () => new Date(), logger: pino({ level: 'silent' }), timers: false, timeoutMs: 2000 });
      return webhookControl({ store, sender, job, allowPrivate, timeoutMs: 2000, now: () => new Date() });
    },
  });
  t.teardown(async () => {
    await job?.stop();
    await w.app.close();
  });
  return w;
}

t.test('a loopback or private URL is refused by default, when saved and when tested', async (t) => {
  const w = await world(t, false);
  for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::1]:9/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://192.168.1.1/', 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/']) {
    const res = await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(w.users.ada), payload: { url } });
    t.equal(res.statusCode, 400, url);
    t.equal(res.json().code, 'WEBHOOK_DESTINATION_REFUSED', `${url}: ${String(res.json().message)}`);
  }
  for (const url of ['ftp://example.com/', 'https://user:pw@example.com/', 'not a url']) {
    const res = await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(w.users.ada), payload: { url } });
    t.equal(res.statusCode, 400, url);
  }
  t.equal(w.store.webhooks.list('acct-a', { limit: 10 }).items.length, 0, 'nothing was saved');

  // Saved while allowed (a row written directly, as if the setting changed), then tested with it off: refused at connect time.
  const receiver = await WebhookReceiver.start(t);
  w.store.webhooks.create({ id: 'wh-x', accountId: 'acct-a', url: receiver.url().replace('127.0.0.1', 'localhost'), description: null, events: ['*'], enabled: true, secret: 'whsec_x' }, new Date());
  const test = await w.app.inject({ method: 'POST', url: '/v1/webhooks/wh-x/test', headers: auth(w.users.ada) });
  t.equal(test.statusCode, 200);
  t.match(test.json(), { delivered: false, status: null });
  t.match(test.json().error, /private|loopback/);
  t.equal(receiver.requests.length, 0, 'nothing reached the loopback receiver');
});

t.test('admins manage webhooks: the secret once, the list, changes, the test route and deliveries', async (t) => {
  const w = await world(t, true);
  const receiver = await WebhookReceiver.start(t);
  const created = await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(w.users.ada), payload: { url: receiver.url(), events: ['leg.*', 'conference.ended'], description: 'CRM' } });
  t.equal(created.statusCode, 201);
  const { webhook, secret } = created.json();
  t.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  t.match(webhook, { accountId: 'acct-a', url: receiver.url(), events: ['leg.*', 'conference.ended'], enabled: true, description: 'CRM', secretHint: secret.slice(-4), deliveries: { pending: 0, failed: 0 }, circuit: 'closed' });

  const got = await w.app.inject({ method: 'GET', url: `/v1/webhooks/${String(webhook.id)}`, headers: auth(w.users.ada) });
  t.notOk(JSON.stringify(got.json()).includes(secret), 'the secret is never shown again');
  const list = await w.app.inject({ method: 'GET', url: '/v1/webhooks', headers: auth(w.users.ada) });
  t.same(list.json().items.map((x: { id: string }) => x.id), [webhook.id]);
  const raw = w.store.webhooks.target(webhook.id);
  t.equal(raw?.secret, secret, 'kept sealed, opened only to sign');

  const bad = await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(w.users.ada), payload: { url: receiver.url(), events: ['leg.exploded'] } });
  t.equal(bad.statusCode, 400);
  t.match(bad.json().message, /events\/0/);

  const patched = await w.app.inject({ method: 'PATCH', url: `/v1/webhooks/${String(webhook.id)}`, headers: auth(w.users.ada), payload: { enabled: false } });
  t.equal(patched.json().enabled, false);

  const test = await w.app.inject({ method: 'POST', url: `/v1/webhooks/${String(webhook.id)}/test`, headers: auth(w.users.ada) });
  t.match(test.json(), { delivered: true, status: 200, error: null });
  t.equal(receiver.requests[0]?.json.type, 'webhook.test', 'the test event arrived (even while disabled)');

  const rotated = await w.app.inject({ method: 'POST', url: `/v1/webhooks/${String(webhook.id)}/rotate-secret`, headers: auth(w.users.ada) });
  t.not(rotated.json().secret, secret);
  t.equal(w.store.webhooks.target(webhook.id)?.secret, rotated.json().secret);

  // A failed delivery is visible and can be retried.
  w.store.webhooks.enqueue([{ deliveryId: 'dlv_1', webhookId: webhook.id, eventId: 'evt_1', eventType: 'leg.joined', orderingKey: 'c1', body: '{}' }], new Date());
  const head = w.store.webhooks.heads(webhook.id)[0];
  w.store.webhooks.markFailed(head?.rowId ?? 0, 31, { status: 500, error: 'HTTP 500' }, new Date());
  const failed = await w.app.inject({ method: 'GET', url: `/v1/webhooks/${String(webhook.id)}/deliveries?status=failed`, headers: auth(w.users.ada) });
  t.match(failed.json().items, [{ id: 'dlv_1', eventId: 'evt_1', status: 'failed', attempts: 31, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null }]);
  const counted = await w.app.inject({ method: 'GET', url: `/v1/webhooks/${String(webhook.id)}`, headers: auth(w.users.ada) });
  t.match(counted.json().deliveries, { pending: 0, failed: 1 });
  const retried = await w.app.inject({ method: 'POST', url: `/v1/webhooks/${String(webhook.id)}/deliveries/dlv_1/retry`, headers: auth(w.users.ada) });
  t.match(retried.json(), { status: 'pending' });
  const again = await w.app.inject({ method: 'POST', url: `/v1/webhooks/${String(webhook.id)}/deliveries/dlv_1/retry`, headers: auth(w.users.ada) });
  t.equal(again.statusCode, 409, 'only a failed one');

  const audit = w.store.audit.query({ accountId: 'acct-a' }, { limit: 20 }).items.map((e) => e.action);
  t.ok(['webhook.created', 'webhook.updated', 'webhook.secret-rotated', 'webhook.delivery-retried'].every((a) => audit.includes(a)), 'changes are audited');
  t.notOk(JSON.stringify(w.store.audit.query({ accountId: 'acct-a' }, { limit: 20 })).includes(secret), 'never with the secret');

  const deleted = await w.app.inject({ method: 'DELETE', url: `/v1/webhooks/${String(webhook.id)}`, headers: auth(w.users.ada) });
  t.equal(deleted.statusCode, 204);
  t.equal(w.store.webhooks.pendingCount(), 0, 'what waited for it went with it');
});

t.test('only admins of the account: hosts, delegates and the operator 403, another account 404', async (t) => {
  const w = await world(t, true);
  const receiver = await WebhookReceiver.start(t);
  const created = await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth(w.users.ada), payload: { url: receiver.url() } });
  const id = String(created.json().webhook.id);
  for (const [who, headers] of [
    ['host', auth(w.users.alice)],
    ['delegate', auth(w.users.dave)],
    ['operator', { authorization: `Bearer ${TEST_OPERATOR_KEY}` }],
  ] as const) {
    t.equal((await w.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers })).statusCode, 403, `${who}: GET one`);
    t.equal((await w.app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload: { url: receiver.url(), accountId: 'acct-a' } })).statusCode, 403, `${who}: create`);
    t.equal((await w.app.inject({ method: 'GET', url: '/v1/webhooks?accountId=acct-a', headers })).statusCode, 403, `${who}: list`);
  }
  t.equal((await w.app.inject({ method: 'GET', url: `/v1/webhooks/${id}`, headers: auth(w.users.eve) })).statusCode, 404, 'another account: as if it did not exist');
  t.equal((await w.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth(w.users.eve) })).statusCode, 404);
  t.equal((await w.app.inject({ method: 'GET', url: '/v1/webhooks/wh-nothing', headers: auth(w.users.ada) })).statusCode, 404);
  t.equal((await w.app.inject({ method: 'GET', url: '/v1/webhooks' })).statusCode, 401);
});
