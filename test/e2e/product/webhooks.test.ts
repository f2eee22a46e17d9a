/**
 * Webhooks end to end, on real calls into the whole product, delivered to real HTTP servers
 * the test starts: signatures verify with the snippet in docs/webhooks.md, a withheld number
 * is in no payload, a receiver that hangs does not delay a join, and a server restart in the
 * middle of retries delivers everything.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import t from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { WebhookReceiver } from '../../support/webhook-receiver.ts';
import { Api } from './support/api.ts';
import { Caller, freshNumber } from './support/caller.ts';
import { DEMO, startProductServer, tempDataDir, type ProductServer } from './support/product-server.ts';

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' };

/** The verification snippet of docs/webhooks.md, exactly as a customer would copy it. */
function documentedVerifier(): (secret: string, header: string, body: string) => boolean {
  const doc = readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8');
  const match = /<!-- verify-snippet -->\s*```js\n([\s\S]*?)```/.exec(doc);
  if (match?.[1] === undefined) throw new Error('docs/webhooks.md has no verify snippet');
  // Written to a CommonJS file and loaded as a receiver's own code would be.
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-snippet-'));
  const file = join(dir, 'verify.cjs');
  writeFileSync(file, `${match[1]}\nmodule.exports = verifyDialbridgeSignature;\n`);
  return createRequire(import.meta.url)(file) as (secret: string, header: string, body: string) => boolean;
}

async function addWebhook(api: Api, url: string, events: string[] = ['*']): Promise<{ id: string; secret: string }> {
  const answer = await api.request('POST', '/v1/webhooks', { url, events });
  if (answer.status !== 201) throw new Error(`webhook not created: ${String(answer.status)} ${JSON.stringify(answer.body)}`);
  const body = answer.body as { webhook: { id: string }; secret: string };
  return { id: body.webhook.id, secret: body.secret };
}

async function walkIn(api: Api, caller: Caller, pin: string = DEMO.participantPin): Promise<LiveLegBody> {
  if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
  await caller.enterPinAfterWelcome(pin);
  await caller.skipName();
  return api.waitForLive((c) => c?.legs.find((l) => l.state === 'joined' && (caller.number === 'anonymous' || l.number === caller.number || l.numberWithheld)), 15_000, 'joined');
}

const product = await startProductServer(t, { rtpBase: 27200, roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false }, env: ENV });
const api = new Api(product);

t.test('signed events of a real call, verified with the documented snippet; a withheld number is in no payload', async (t) => {
  t.setTimeout(60_000);
  const receiver = await WebhookReceiver.start(t);
  const hook = await addWebhook(api, receiver.url(), ['*', 'leg.talking']);
  t.teardown(() => api.request('DELETE', `/v1/webhooks/${hook.id}`));
  const verify = documentedVerifier();

  const hidden = freshNumber();
  const caller = await Caller.dial(t, product, {
    from: hidden,
    fromDisplayName: 'Jane Secret',
    headers: [
      ['P-Asserted-Identity', `"Jane Secret" <sip:${hidden}@127.0.0.1;user=phone>`],
      ['Privacy', 'id'],
    ],
  });
  const leg = await walkIn(api, caller);
  t.equal(leg.numberWithheld, true);
  await receiver.waitFor((rs) => rs.some((r) => r.json.type === 'leg.joined'), 10_000, 'leg.joined');
  await caller.hangup();
  await receiver.waitFor((rs) => rs.some((r) => r.json.type === 'conference.ended'), 15_000, 'conference.ended');

  const types = receiver.requests.map((r) => r.json.type);
  t.ok(types.indexOf('conference.started') < types.indexOf('leg.joined'), `in order: ${types.join(', ')}`);
  t.ok(types.indexOf('leg.joined') < types.indexOf('leg.left'));
  t.ok(types.indexOf('leg.left') < types.indexOf('conference.ended'));
  for (const r of receiver.requests) {
    t.ok(verify(hook.secret, String(r.headers['dialbridge-signature']), r.body), `${r.json.type}: the documented snippet verifies it`);
  }
  t.notOk(verify('whsec_wrong', String(receiver.requests[0]?.headers['dialbridge-signature']), receiver.requests[0]?.body ?? ''), 'and refuses another secret');
  const digits = hidden.replace(/\D/g, '');
  const all = receiver.requests.map((r) => r.body).join('\n');
  t.notOk(all.includes(digits), 'the withheld number is in no payload');
  t.notOk(all.includes(digits.slice(-6)), 'nor its last six digits');
  t.notOk(/Jane|Secret/.test(all), 'nor the withheld display name');
  const legEvents = receiver.requests.filter((r) => r.json.type.startsWith('leg.') && r.json.type !== 'leg.left');
  t.ok(legEvents.length > 0 && legEvents.every((r) => (r.json.data as { leg: LiveLegBody }).leg.number === null), 'every leg payload has number: null');
  t.equal(new Set(receiver.requests.map((r) => r.json.id)).size, receiver.requests.length, 'each event once');

  const test = await api.request('POST', `/v1/webhooks/${hook.id}/test`);
  t.equal(test.status, 200);
  t.match(test.body, { delivered: true, status: 200 });
  await receiver.waitFor((rs) => rs.some((r) => r.json.type === 'webhook.test'), 5000, 'the test event');
  const testEvent = receiver.requests.find((r) => r.json.type === 'webhook.test')!;
  t.ok(verify(hook.secret, String(testEvent.headers['dialbridge-signature']), testEvent.body), 'the test event is signed too');
});

t.test('a receiver that hangs does not delay a join', async (t) => {
  t.setTimeout(90_000);
  // A baseline join with no webhook.
  const t0 = Date.now();
  const first = await Caller.dial(t, product);
  await walkIn(api, first);
  const baseline = Date.now() - t0;
  await first.hangup();
  await api.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the room empty');

  const hanging = await WebhookReceiver.start(t, () => 'hang');
  const hook = await addWebhook(api, hanging.url(), ['*', 'leg.talking']);
  t.teardown(() => api.request('DELETE', `/v1/webhooks/${hook.id}`));
  const t1 = Date.now();
  const caller = await Caller.dial(t, product);
  await walkIn(api, caller);
  const withHang = Date.now() - t1;
  const outstanding = hanging.requests.length;
  const inFlight = product.server.webhookDeliveries.inFlight;
  t.ok(outstanding >= 1 && inFlight >= 1, `the receiver was hanging on ${String(outstanding)} request(s) (${String(inFlight)} in flight) when the join completed`);
  t.ok(withHang < baseline + 1500, `the join took ${String(withHang)} ms while the receiver hung (${String(baseline)} ms without a webhook)`);
  // Host commands answer at once too.
  const c0 = Date.now();
  const leg = (await api.live())?.legs[0];
  t.equal((await api.legCommand(leg?.id ?? '', 'mute')).status, 204);
  t.ok(Date.now() - c0 < 1000, `a mute took ${String(Date.now() - c0)} ms`);
  await caller.hangup();
});

t.test('a server restart in the middle of retries delivers everything, in order', async (t) => {
  t.setTimeout(120_000);
  const dataDir = tempDataDir(t);
  const receiver = await WebhookReceiver.start(t, () => 500);
  const first: ProductServer = await startProductServer(t, { rtpBase: 27600, dataDir, roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false }, env: ENV });
  const firstApi = new Api(first);
  const hook = await addWebhook(firstApi, receiver.url());
  const caller = await Caller.dial(t, first);
  await walkIn(firstApi, caller);
  await caller.hangup();
  await firstApi.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the conference ended');
  await receiver.waitFor((rs) => rs.length >= 3, 15_000, 'a few failed attempts');
  const pending = await firstApi.request('GET', `/v1/webhooks/${hook.id}/deliveries?status=pending`);
  const events = (pending.body as { items: { eventId: string; eventType: string }[] }).items.reverse();
  t.ok(events.length >= 4, `${String(events.length)} events wait: ${events.map((e) => e.eventType).join(', ')}`);
  await first.close();

  receiver.answer = () => 200;
  const cut = receiver.requests.length;
  const second = await startProductServer(t, { rtpBase: 27600, dataDir, env: ENV });
  const secondApi = new Api(second);
  await receiver.waitFor((rs) => events.every((e) => rs.slice(cut).some((r) => r.json.id === e.eventId)), 30_000, 'every event after the restart');
  const answered = receiver.requests.slice(cut).map((r) => r.json.id);
  t.same(answered.filter((id, i) => answered.indexOf(id) === i), events.map((e) => e.eventId), 'each delivered after the restart, in the order they happened');
  const after = await secondApi.request('GET', `/v1/webhooks/${hook.id}`);
  t.match(after.body, { deliveries: { pending: 0, failed: 0 } }, 'nothing pending, nothing failed');
  const done = await secondApi.request('GET', `/v1/webhooks/${hook.id}/deliveries?status=delivered`);
  t.equal((done.body as { items: unknown[] }).items.length, events.length, 'each delivered');
});
