/**
 * Self-checks of the test harness, peer to peer (no engine involved): our SIP/RTP peers talk
 * to each other and to sipp, and the audio analysis measures what it claims.
 */
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { energyFraction, maxCrossCorrelation } from './audio-analysis.ts';
import { SipPeer, verifyDigest, type SipCall } from './sip-peer.ts';
import { startSipp } from './sipp.ts';
import { tone, toneSource } from './tone.ts';
import { sleep, waitUntil, within } from './wait.ts';
import { readWav } from './wav.ts';
import { skipUnless } from './peer-tools.ts';

const PROMPT = fileURLToPath(new URL('../fixtures/audio/test-prompt.wav', import.meta.url));

t.test('the audio analysis finds a tone and rejects its absence', (t) => {
  const mixed = tone(440, 1).map((v, i) => v + (tone(1000, 1)[i] ?? 0));
  t.ok(energyFraction(tone(440, 1), 440) > 0.95, 'a pure tone is ~all of its energy');
  t.ok(energyFraction(mixed, 440) > 0.4 && energyFraction(mixed, 440) < 0.6, 'half of a two-tone mix');
  t.ok(energyFraction(tone(1000, 1), 440) < 0.01, 'another tone is not counted');
  t.end();
});

t.test('the cross-correlation finds a WAV inside a delayed copy', (t) => {
  const { samples } = readWav(PROMPT);
  const delayed = new Int16Array(samples.length + 4000);
  delayed.set(samples.map((v) => v >> 1), 1234);
  const found = maxCrossCorrelation(samples, delayed);
  t.ok(found.value > 0.99, `correlation ${found.value.toFixed(3)}`);
  t.equal(found.lag, 1234);
  t.ok(maxCrossCorrelation(samples, new Int16Array(samples.length + 100).fill(0).map((_, i) => (i * 7919) % 2000 - 1000)).value < 0.3, 'noise does not match');
  t.end();
});

t.test('two SIP peers connect, exchange tones, RFC 4733 and INFO digits, and hang up', async (t) => {
  t.setTimeout(20_000);
  const caller = await SipPeer.open();
  const callee = await SipPeer.open();
  t.teardown(async () => {
    await caller.close();
    await callee.close();
  });
  let incoming: SipCall | undefined;
  const infos: string[] = [];
  callee.events.on('call', (c: SipCall) => (incoming = c));
  callee.events.on('request', (msg: { method: string; body: string }) => {
    if (msg.method === 'INFO') infos.push(/Signal=(\S)/.exec(msg.body)?.[1] ?? '?');
  });
  const call = await caller.invite({ target: { host: '127.0.0.1', port: callee.port }, to: '1000', from: '4930123' });
  t.equal(call.status, 200, 'answered');
  t.ok(call.provisional.includes(180), 'rang first');
  await within(incoming?.ackReceived ?? Promise.reject(new Error('no call')), 2000, 'ACK');
  const far = incoming;
  if (far === undefined) throw new Error('no incoming call');
  call.rtp.setSource(toneSource(440));
  far.rtp.setSource(toneSource(1000));
  await sleep(1000);
  t.ok(energyFraction(far.rtp.receivedSince(800), 440) > 0.9, 'callee hears 440 Hz');
  t.ok(energyFraction(call.rtp.receivedSince(800), 1000) > 0.9, 'caller hears 1000 Hz');
  await call.rtp.sendDigits('4711');
  await waitUntil(() => far.rtp.digitString.length >= 4, 3000, 'digits');
  t.equal(far.rtp.digitString, '4711', 'repeated digits arrive as separate events');
  t.equal(await call.info('5'), 200);
  t.equal(await call.info('5'), 200);
  t.same(infos, ['5', '5']);
  t.equal(await call.reinvite('sendonly'), 200, 're-INVITE answered');
  t.equal(far.remoteAudio?.direction, 'sendonly');
  t.equal(await call.bye(), 200);
  await within(far.byeReceived, 1000, 'BYE at callee');
});

t.test('a busy callee answers 486 and a ringing one 487 after CANCEL', async (t) => {
  t.setTimeout(20_000);
  const caller = await SipPeer.open();
  const callee = await SipPeer.open();
  t.teardown(async () => {
    await caller.close();
    await callee.close();
  });
  callee.uasMode = 'busy';
  const busy = await caller.invite({ target: { host: '127.0.0.1', port: callee.port } });
  t.equal(busy.status, 486);
  callee.uasMode = 'ring';
  callee.events.once('call', () => {
    setTimeout(() => {
      const pending = caller.calls[caller.calls.length - 1];
      pending?.cancel();
    }, 300);
  });
  const cancelled = await caller.invite({ target: { host: '127.0.0.1', port: callee.port } });
  t.equal(cancelled.status, 487);
});

t.test('our SIP peer calls a sipp UAS scenario, which sees a clean call', { skip: skipUnless('sipp') }, async (t) => {
  t.setTimeout(30_000);
  const sipp = await startSipp({ scenario: 'uas-answer.xml', timeoutSeconds: 15 });
  const caller = await SipPeer.open();
  t.teardown(async () => {
    await caller.close();
    await sipp.stop();
  });
  await sleep(300);
  const call = await caller.invite({ target: { host: '127.0.0.1', port: sipp.port } });
  t.equal(call.status, 200);
  await sleep(300);
  t.equal(await call.bye(), 200);
  const result = await within(sipp.done, 10_000, 'sipp exit');
  t.equal(result.code, 0, `sipp succeeded: ${result.errors}${result.stderr.slice(-500)}`);
});

t.test('sipp as UAC sends INFO and RFC 4733 digits that our peer receives', { skip: skipUnless('sipp') }, async (t) => {
  t.setTimeout(30_000);
  const callee = await SipPeer.open();
  t.teardown(async () => {
    await callee.close();
  });
  const infos: string[] = [];
  callee.events.on('request', (msg: { method: string; body: string }) => {
    if (msg.method === 'INFO') infos.push(/Signal=(\S)/.exec(msg.body)?.[1] ?? '?');
  });
  const sipp = await startSipp({ scenario: 'uac-dtmf.xml', remote: `127.0.0.1:${callee.port}`, service: '1000', timeoutSeconds: 20 });
  t.teardown(async () => {
    await sipp.stop();
  });
  const result = await within(sipp.done, 25_000, 'sipp exit');
  t.equal(result.code, 0, `sipp succeeded: ${result.errors}${result.stderr.slice(-500)}`);
  t.same(infos, ['4', '7']);
  t.equal(callee.calls[0]?.rtp.digitString, '12', 'pcap digits arrive');
});

t.test('a sipp UAS rings then answers busy, or rings until cancelled', { skip: skipUnless('sipp') }, async (t) => {
  t.setTimeout(30_000);
  const busy = await startSipp({ scenario: 'uas-busy.xml', timeoutSeconds: 10 });
  const ring = await startSipp({ scenario: 'uas-ring-no-answer.xml', timeoutSeconds: 10 });
  const caller = await SipPeer.open();
  t.teardown(async () => {
    await caller.close();
    await busy.stop();
    await ring.stop();
  });
  await sleep(300);
  const b = await caller.invite({ target: { host: '127.0.0.1', port: busy.port } });
  t.equal(b.status, 486);
  setTimeout(() => caller.calls[caller.calls.length - 1]?.cancel(), 500);
  const r = await caller.invite({ target: { host: '127.0.0.1', port: ring.port } });
  t.equal(r.status, 487);
  t.equal((await within(busy.done, 5000, 'busy exit')).code, 0);
  const ringResult = await within(ring.done, 5000, 'ring exit');
  t.equal(ringResult.code, 0, ringResult.errors);
});

t.test('the digest check accepts the RFC 2617 §3.5 example and rejects a wrong password', (t) => {
  const challenge = { status: 401 as const, realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', username: 'Mufasa', password: 'Circle Of Life' };
  const value =
    'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';
  t.ok(verifyDigest(value, 'GET', challenge));
  t.notOk(verifyDigest(value, 'GET', { ...challenge, password: 'wrong' }));
  t.end();
});
