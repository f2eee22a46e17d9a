/**
 * The outbox's delivery against a real HTTP server (node:http on port 0), the real store on
 * a file and the real sender, on a fake clock the test moves: at least once, in order per
 * conference, retried with backoff until the receiver recovers, given up after 24 hours and
 * visible as failed, and nothing lost when the server restarts mid-retry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { WebhookDeliveryJob, type WebhookDeliveryOptions } from '../../src/jobs/webhook-delivery-job.ts';
import { createWebhookSender } from '../../src/notify/webhooks/sender.ts';
import { verifySignature } from '../../src/notify/webhooks/signature.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const SECRET = Buffer.alloc(32, 7);
const START = Date.parse('2026-11-28T10:00:00Z');

/** A fake clock the test moves. */
class FakeClock {
  now = START;
  readonly read = (): Date => new Date(this.now);
  advance(ms: number): void {
    this.now += ms;
  }
}

function tempDb(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-webhooks-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return join(dir, 'db.sqlite');
}

function openWorld(t: Test, path: string): Store {
  const store = openStore(path, SECRET);
  t.teardown(() => {
    store.close();
  });
  return store;
}

function seedWebhook(store: Store, url: string, id = 'wh-1', secret = 'whsec_test-secret'): void {
  if (store.accounts.get('acct-a') === null) store.accounts.create({ id: 'acct-a', name: 'Account A' });
  store.webhooks.create({ id, accountId: 'acct-a', url, description: null, events: ['*'], enabled: true, secret }, new Date(START));
}

let seq = 0;
/** Writes one event of `conference` to the outbox for `webhookId`; returns its event id. */
function enqueue(store: Store, clock: FakeClock, conference: string, webhookId = 'wh-1'): string {
  seq += 1;
  const eventId = `evt_${String(seq)}`;
  const body = JSON.stringify({ id: eventId, type: 'leg.updated', createdAt: new Date(clock.now).toISOString(), conferenceId: conference, data: { n: seq } });
  store.webhooks.enqueue([{ deliveryId: `dlv_${String(seq)}`, webhookId, eventId, eventType: 'leg.updated', orderingKey: conference, body }], clock.read());
  return eventId;
}

function job(store: Store, clock: FakeClock, extra: Partial<WebhookDeliveryOptions> = {}): WebhookDeliveryJob {
  const j = new WebhookDeliveryJob({
    store,
    sender: createWebhookSender({ allowPrivate: true }),
    clock: clock.read,
    logger: pino({ level: 'silent' }),
    timers: false,
    timeoutMs: 2000,
    random: () => 0.5,
    ...extra,
  });
  return j;
}

/** Runs passes until nothing is due now; returns how many attempts were made. */
async function drain(j: WebhookDeliveryJob): Promise<number> {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const n = await j.runDue();
    total += n;
    if (n === 0) return total;
  }
  throw new Error('the outbox did not drain');
}

/** Moves the clock to the earliest pending retry (plus 1 ms). */
function toNextRetry(store: Store, clock: FakeClock): void {
  const next = Math.min(
    ...store.webhooks.heads('wh-1').map((h) => h.nextAttemptAt),
  );
  if (Number.isFinite(next)) clock.now = Math.max(clock.now, next + 1);
}

t.test('500 three times then 200: the event is delivered exactly once more, and what came after follows in order', async (t) => {
  const receiver = await WebhookReceiver.start(t);
  const store = openWorld(t, tempDb(t));
  const clock = new FakeClock();
  seedWebhook(store, receiver.url());
  const first = enqueue(store, clock, 'conf-a');
  const second = enqueue(store, clock, 'conf-a');
  const third = enqueue(store, clock, 'conf-a');
  const other = enqueue(store, clock, 'conf-b');
  let failuresLeft = 3;
  receiver.answer = (r) => (r.json.id === first && failuresLeft-- > 0 ? 500 : 200);
  const j = job(store, clock);
  t.teardown(() => j.stop());

  await drain(j);
  t.same(receiver.requests.map((r) => r.json.id), [first, other], "conf-a's head failed; conf-b is not held up by it");
  t.equal(receiver.requests.filter((r) => r.json.id === second).length, 0, "conf-a's later events wait for its head");
  for (let i = 0; i < 3; i++) {
    toNextRetry(store, clock);
    await drain(j);
  }
  t.same(
    receiver.requests.map((r) => r.json.id),
    [first, other, first, first, first, second, third],
    'after the recovery: the first event once more, then the rest in order, each once',
  );
  t.same(receiver.requests.filter((r) => r.json.id === first).map((r) => r.headers['dialbridge-attempt']), ['1', '2', '3', '4'], 'the attempt number rises');
  const delivered = store.webhooks.deliveries('wh-1', 'delivered', { limit: 10 }).items;
  t.equal(delivered.length, 4);
  t.same(delivered.find((d) => d.eventId === first)?.attempts, 4);
  t.equal(store.webhooks.pendingCount(), 0, 'nothing left in the outbox');
  // Waits doubled between the attempts (10 s, 20 s, 40 s with jitter at its middle: 7.5, 15, 30 s).
  const times = receiver.requests.filter((r) => r.json.id === first).map((r) => String(r.headers['dialbridge-signature']).split(',')[0]);
  t.equal(times.length, 4);
  await drain(j);
  t.equal(receiver.requests.length, 7, 'and nothing is sent twice afterwards');
});

t.test('a restart in the middle of retries delivers everything, in order, with nothing lost', async (t) => {
  const receiver = await WebhookReceiver.start(t, () => 503);
  const path = tempDb(t);
  const clock = new FakeClock();
  let store = openStore(path, SECRET);
  seedWebhook(store, receiver.url());
  const a = [enqueue(store, clock, 'conf-a'), enqueue(store, clock, 'conf-a'), enqueue(store, clock, 'conf-a')];
  const b = enqueue(store, clock, 'conf-b');
  const before = job(store, clock);
  await drain(before);
  toNextRetry(store, clock);
  await drain(before);
  t.same(receiver.requests.map((r) => r.json.id).sort(), [a[0], a[0], b, b].sort(), 'two failed rounds before the restart');

  // One more attempt is in flight, hanging, when the server stops.
  receiver.answer = () => 'hang';
  toNextRetry(store, clock);
  const cut = before.runDue();
  await receiver.waitFor((rs) => rs.length >= 5, 5000, 'the attempt in flight');
  await before.stop();
  await cut;
  store.close();

  // The next run: the receiver has recovered.
  receiver.answer = () => 200;
  store = openStore(path, SECRET);
  t.teardown(() => {
    store.close();
  });
  t.equal(store.webhooks.pendingCount(), 4, 'every event is still in the outbox after the restart');
  clock.advance(3_600_000);
  const after = job(store, clock);
  t.teardown(() => after.stop());
  await drain(after);
  const afterRestart = receiver.requests.filter((r) => r.at >= 0).slice(-4).map((r) => r.json.id);
  t.same(afterRestart.filter((id) => a.includes(id)), a, "conf-a's events in order after the restart");
  t.ok(afterRestart.includes(b), 'and conf-b');
  t.equal(store.webhooks.pendingCount(), 0);
  t.equal(store.webhooks.deliveries('wh-1', 'delivered', { limit: 10 }).items.length, 4, 'all four delivered');
});

t.test('an endpoint that never recovers: retried with growing waits for 24 hours, then failed and listed so', async (t) => {
  const receiver = await WebhookReceiver.start(t, () => 500);
  const store = openWorld(t, tempDb(t));
  const clock = new FakeClock();
  seedWebhook(store, receiver.url());
  const id = enqueue(store, clock, 'conf-a');
  const later = enqueue(store, clock, 'conf-a');
  const j = job(store, clock);
  t.teardown(() => j.stop());
  const waits: number[] = [];
  let last = clock.now;
  for (let i = 0; i < 200 && store.webhooks.delivery('wh-1', 'dlv_' + id.slice(4))?.status === 'pending'; i++) {
    await drain(j);
    toNextRetry(store, clock);
    if (receiver.requests.at(-1)?.json.id === id) {
      waits.push(clock.now - last);
      last = clock.now;
    }
  }
  const delivery = store.webhooks.delivery('wh-1', 'dlv_' + id.slice(4));
  t.equal(delivery?.status, 'failed', 'given up');
  t.equal(delivery?.lastStatus, 500);
  t.equal(delivery?.lastError, 'HTTP 500');
  const attempts = receiver.requests.filter((r) => r.json.id === id).length;
  t.equal(delivery?.attempts, attempts);
  t.ok(clock.now - START >= 24 * 3_600_000, `the last attempt came after 24 h (${((clock.now - START) / 3_600_000).toFixed(1)} h)`);
  t.ok(attempts >= 25 && attempts <= 50, `${String(attempts)} attempts in 24 h`);
  t.ok(waits.slice(1, 8).every((w, i) => i === 0 || w > (waits[i] ?? 0)), `the waits grow: ${waits.slice(0, 10).map((w) => `${String(Math.round(w / 1000))}s`).join(', ')}`);
  t.ok(Math.max(...waits) <= 3_600_000 + 1, 'never more than an hour apart');
  t.same(store.webhooks.deliveries('wh-1', 'failed', { limit: 10 }).items.map((d) => d.eventId), [id], 'failed, and visible as such');
  // The event behind it then gets its own chance (once the circuit lets an attempt through).
  clock.advance(11 * 60_000);
  await drain(j);
  t.ok(receiver.requests.some((r) => r.json.id === later), 'the next event of the conference is tried once the head gave up');
  t.comment(`figures: ${String(attempts)} attempts over ${((clock.now - START) / 3_600_000).toFixed(1)} h; first waits ${waits.slice(0, 12).map((w) => `${String(Math.round(w / 1000))}s`).join(' ')}`);
});

t.test('deliveries are signed over "t.body" with the webhook secret', async (t) => {
  const receiver = await WebhookReceiver.start(t);
  const store = openWorld(t, tempDb(t));
  const clock = new FakeClock();
  seedWebhook(store, receiver.url(), 'wh-1', 'whsec_the-secret');
  enqueue(store, clock, 'conf-a');
  const j = job(store, clock, { sender: createWebhookSender({ allowPrivate: true }) });
  t.teardown(() => j.stop());
  await drain(j);
  const [r] = receiver.requests;
  const header = String(r?.headers['dialbridge-signature']);
  t.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  const now = Math.floor(Date.now() / 1000);
  t.ok(verifySignature('whsec_the-secret', header, r?.body ?? '', now), 'verifies with the secret');
  t.notOk(verifySignature('whsec_other', header, r?.body ?? '', now), 'not with another');
  t.notOk(verifySignature('whsec_the-secret', header, `${r?.body ?? ''} `, now), 'not with a changed body');
  t.notOk(verifySignature('whsec_the-secret', header, r?.body ?? '', now + 301), 'not outside the replay window');
  t.equal(r?.headers['content-type'], 'application/json');
  t.equal(r?.headers['dialbridge-event-type'], 'leg.updated');
});

t.test('a dead endpoint: its circuit opens, at most 2 attempts are ever in flight to it, and a healthy one is not held up', async (t) => {
  t.setTimeout(30_000);
  const dead = await WebhookReceiver.start(t, () => 'hang');
  const healthy = await WebhookReceiver.start(t);
  const store = openWorld(t, tempDb(t));
  const clock = new FakeClock();
  seedWebhook(store, dead.url(), 'wh-dead');
  seedWebhook(store, healthy.url(), 'wh-ok');
  for (let c = 0; c < 20; c++) {
    enqueue(store, clock, `conf-${String(c)}`, 'wh-dead');
    enqueue(store, clock, `conf-${String(c)}`, 'wh-ok');
  }
  const j = job(store, clock, { timeoutMs: 300 });
  t.teardown(() => j.stop());
  const started = Date.now();
  const pass = j.runDue();
  await dead.waitFor((rs) => rs.length >= 1, 5000, 'the first attempts');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(dead.requests.length, 2, 'two attempts hang at the dead endpoint, no more');
  await pass;
  for (let i = 0; i < 20; i++) await j.runDue();
  const took = Date.now() - started;
  t.equal(healthy.requests.length, 20, 'the healthy endpoint got all 20 events');
  t.ok(dead.requests.length <= 6, `the dead one got ${String(dead.requests.length)} attempts before its circuit opened, not 20`);
  t.equal(j.circuitState('wh-dead'), 'open');
  t.equal(j.circuitState('wh-ok'), 'closed');
  t.ok(took < 10_000, `bounded by the timeout: ${String(took)} ms`);
  clock.advance(31_000);
  await j.runDue();
  t.ok(dead.requests.length <= 8, 'half-open: a single trial attempt');
});
