/**
 * Admission control over real SIP on loopback, with other 127.0.0.x addresses as attackers:
 * an INVITE flood from one address is refused once (503 with Retry-After) and then hears
 * nothing, while a caller from another address gets in and OPTIONS keeps being answered;
 * scanner User-Agents get no answer and leave no leg behind; a number walk is banned.
 */
import t from 'tap';
import { Caller } from '../product/support/caller.ts';
import { SipPeer } from '../../support/sip-peer.ts';
import { openSideStore, startProductServer } from '../product/support/product-server.ts';
import { header } from '../../support/sip-text.ts';
import { counterValue } from './support/counters.ts';
import { eventually, RawSipClient, sleep } from './support/raw-sip.ts';

const LIMIT = 10;
const product = await startProductServer(t, {
  rtpBase: 24000,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  env: { ADMISSION_SOURCE_INVITES: String(LIMIT), ADMISSION_SOURCE_WINDOW_SECONDS: '10', ADMISSION_BAN_SECONDS: '60', ADMISSION_SOURCE_NOT_FOUND: '5' },
});

t.test('an INVITE flood from 127.0.0.2: one 503 with Retry-After, then silence; 127.0.0.3 still joins and OPTIONS is answered', async (t) => {
  const flooder = await RawSipClient.open('127.0.0.2', product.sip);
  const prober = await RawSipClient.open('127.0.0.4', product.sip);
  t.teardown(async () => {
    await flooder.close();
    await prober.close();
  });
  const flood: string[] = [];
  const probes: string[] = [];
  // 150 new calls in about 1.5 s (bounded in count), an OPTIONS probe every tenth.
  for (let i = 0; i < 150; i++) {
    flood.push(flooder.send({ to: '1000' }));
    if (i % 10 === 0) probes.push(prober.send({ method: 'OPTIONS', to: '1000' }));
    await sleep(10);
  }
  // A legitimate caller from another address, while the flooder is banned.
  const started = performance.now();
  const peer = await SipPeer.open('127.0.0.3');
  const call = await peer.invite({ target: product.sip, to: '1000', from: '+4930555000111' });
  const setupMs = performance.now() - started;
  t.teardown(async () => {
    if (!call.ended && call.status === 200) await call.bye().catch(() => undefined);
    await peer.close();
  });
  t.equal(call.status, 200, 'the caller from 127.0.0.3 is answered');
  t.comment(`legitimate caller set up in ${setupMs.toFixed(0)} ms during the ban`);
  await sleep(1500);

  const admitted = flood.slice(0, LIMIT);
  for (const id of admitted) t.ok(flooder.statuses(id).includes(200), 'calls within the limit are answered');
  const refused = flood[LIMIT] ?? '';
  const refusal = flooder.responses.get(refused) ?? [];
  t.ok(refusal.length > 0 && refusal.every((r) => r.status === 503), 'the first call over the limit gets 503 (retransmitted, as it is not ACKed) and no 100 Trying before it');
  const first = refusal[0];
  t.equal(first === undefined ? '' : header(first, 'retry-after'), '60', 'Retry-After is the ban period');
  const after = flood.slice(LIMIT + 1);
  t.equal(after.filter((id) => flooder.statuses(id).length > 0).length, 0, `the other ${String(after.length)} INVITEs got no answer at all`);
  t.equal(probes.filter((id) => prober.statuses(id).includes(200)).length, probes.length, 'every OPTIONS probe was answered 200');

  t.equal(await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'source-rate', outcome: 'refused' }), 1);
  t.equal(await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'banned', outcome: 'dropped' }), after.length);
  const store = openSideStore(t, product.dataDir);
  t.equal(store.legs.byCallId(refused), null, 'the refused INVITE left no leg');
  t.equal(after.filter((id) => store.legs.byCallId(id) !== null).length, 0, 'nor did the dropped ones');
});

t.test('a scanner User-Agent gets no answer and leaves no leg', async (t) => {
  const scanner = await RawSipClient.open('127.0.0.5', product.sip);
  t.teardown(() => scanner.close());
  const before = await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'scanner', outcome: 'dropped' });
  const ids = ['friendly-scanner', 'sipvicious 0.3', 'SIPCLI/v1.8'].map((ua) => scanner.send({ to: '1000', userAgent: ua }));
  await sleep(1500);
  for (const id of ids) t.same(scanner.statuses(id), [], 'nothing at all, not even 100 Trying');
  t.equal(await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'scanner', outcome: 'dropped' }), before + 3, 'counted');
  const options = scanner.send({ method: 'OPTIONS', to: '1000', userAgent: 'friendly-scanner' });
  t.ok(await eventually(() => scanner.statuses(options).includes(200), 3000), 'OPTIONS is still answered (it creates nothing)');
});

t.test('a number walk from 127.0.0.6 is banned after a few 404s; known numbers stay open to others', async (t) => {
  const walker = await RawSipClient.open('127.0.0.6', product.sip);
  t.teardown(() => walker.close());
  const ids: string[] = [];
  for (let n = 0; n < 9; n++) {
    ids.push(walker.send({ to: `20${String(n)}0` }));
    await sleep(50);
  }
  await eventually(() => walker.statuses(ids[5] ?? '').length > 0, 3000);
  await sleep(500);
  for (const id of ids.slice(0, 6)) t.ok(walker.statuses(id).includes(404), 'unknown numbers are 404 (service numbers are public)');
  for (const id of ids.slice(6)) t.same(walker.statuses(id), [], 'after the walk is noticed, nothing is answered');
  t.equal(await counterValue(product, 'dialbridge_calls_admission_total', { reason: 'number-walk', outcome: 'refused' }), 1);
  const caller = await Caller.dial(t, product);
  t.equal(caller.call.status, 200, 'a caller from 127.0.0.1 is not affected');
});

// Last: once a trunk lists ranges, calls from outside every range are refused 403 (issue 9).
t.test("a carrier trunk's range is trusted: its calls to unknown numbers are neither limited nor banned", async (t) => {
  const made = await fetch(`${product.httpBase}/v1/trunks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${product.operatorKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Busy carrier', inboundCidrs: ['127.0.0.7/32'] }),
  });
  t.equal(made.status, 201, 'the operator adds a trunk listing 127.0.0.7/32');
  const carrier = await RawSipClient.open('127.0.0.7', product.sip);
  t.teardown(() => carrier.close());
  const ids: string[] = [];
  // More INVITEs than the source limit (10) and more 404s than the walk limit (5), bounded in count.
  for (let n = 0; n < 14; n++) {
    ids.push(carrier.send({ to: `30${String(n).padStart(2, '0')}0` }));
    await sleep(50);
  }
  t.ok(await eventually(() => ids.every((id) => carrier.statuses(id).length > 0), 5000), 'every INVITE is answered');
  t.same(ids.filter((id) => !carrier.statuses(id).includes(404)), [], 'each with 404 (unknown number), never 503 or silence');
});
