import t from 'tap';
import type { Test } from 'tap';
import { EmbeddedEngine } from '../../../src/engines/embedded/embedded-engine.ts';
import type { OfferedCall } from '../../../src/ports/engine.ts';
import type { HangupCause } from '../../../src/ports/leg.ts';
import { getHeader } from '../../../src/engines/embedded/sip/sip-message.ts';
import { peerSdp, RawSipPeer } from './support/raw-sip-peer.ts';

t.setTimeout(60_000);

const rtpBase = 47000 + (process.pid % 40) * 50;
let n = 0;

async function engine(t: Test): Promise<EmbeddedEngine> {
  const base = rtpBase + n * 24;
  n += 1;
  const e = new EmbeddedEngine({ sipHost: '127.0.0.1', sipPort: 0, rtpPortMin: base, rtpPortMax: base + 22, t1Ms: 100, mediaTimeoutMs: 0 });
  await e.start();
  t.teardown(async () => {
    e.destroy();
    await e.close();
  });
  return e;
}

function target(e: EmbeddedEngine, user = '4930200'): string {
  return `sip:${user}@127.0.0.1:${String(e.sipAddress?.port ?? 0)}`;
}

function nextOffer(e: EmbeddedEngine): Promise<OfferedCall> {
  return new Promise((resolve) => e.events.once('offer', resolve));
}

t.test('a dialled call rings, is answered, presents the caller ID, and hangs up on both sides', async (t) => {
  const a = await engine(t);
  const b = await engine(t);
  const progress: number[] = [];
  const offered = nextOffer(b);
  const dialling = a.dial({ target: target(b), callerId: '+4930111', callerName: 'Conference', onProgress: (s) => progress.push(s) });
  const offer = await offered;
  t.equal(offer.facts.dialledNumber, '4930200');
  t.equal(offer.facts.from.user, '+4930111');
  t.equal(offer.facts.from.displayName, 'Conference');
  t.same(offer.facts.pAssertedIdentity.map((p) => p.user), ['+4930111']);
  t.same(offer.facts.privacy, []);
  await offer.ring();
  const inbound = await offer.answer().then((leg) => leg);
  const outbound = await dialling;
  t.same(progress, [180]);
  t.equal(outbound.direction, 'outbound');
  t.equal(inbound.direction, 'inbound');
  const causes: HangupCause[] = [];
  inbound.events.on('hangup', (c) => causes.push(c));
  await outbound.hangup('finished');
  await new Promise((r) => setTimeout(r, 200));
  t.same(causes, [{ by: 'remote', reason: 'bye' }]);
  t.equal(a.legCount, 0);
  t.equal(b.legCount, 0);
});

t.test('a call dialled over TCP is answered and each side can end it', async (t) => {
  const a = await engine(t);
  const b = await engine(t);
  const offered = nextOffer(b);
  const dialling = a.dial({ target: `${target(b)};transport=tcp` });
  const offer = await offered;
  t.equal(offer.facts.transport, 'tcp');
  const inbound = await offer.answer();
  const outbound = await dialling;
  const causes: HangupCause[] = [];
  outbound.events.on('hangup', (c) => causes.push(c));
  await inbound.hangup('host-ended');
  await new Promise((r) => setTimeout(r, 200));
  t.same(causes, [{ by: 'remote', reason: 'bye' }]);
});

t.test('a withheld caller ID is sent as an anonymous From with Privacy: id', async (t) => {
  const a = await engine(t);
  const b = await engine(t);
  const offered = nextOffer(b);
  const dialling = a.dial({ target: target(b), callerId: '+4930111', withholdCallerId: true });
  const offer = await offered;
  t.equal(offer.facts.from.uri, 'sip:anonymous@anonymous.invalid');
  t.equal(offer.facts.from.displayName, 'Anonymous');
  t.same(offer.facts.privacy, ['id']);
  await offer.reject(486);
  await t.rejects(dialling, { code: 'DIAL_FAILED', details: { status: 486 } });
});

t.test('a call through an outbound proxy goes to the proxy with the target as Request-URI', async (t) => {
  const a = await engine(t);
  const proxy = await engine(t);
  const offered = nextOffer(proxy);
  const dialling = a.dial({ target: 'sip:+4930999@carrier.invalid', trunk: { outboundProxy: `sip:127.0.0.1:${String(proxy.sipAddress?.port ?? 0)}` } });
  const offer = await offered;
  t.equal(offer.facts.requestUri, 'sip:+4930999@carrier.invalid');
  t.match(offer.facts.headers.route, /^<sip:127\.0\.0\.1:\d+;lr>$/);
  await offer.reject(503);
  await t.rejects(dialling, { code: 'DIAL_FAILED', details: { status: 503 } });
});

t.test('no answer within the ring timeout cancels the call: DIAL_FAILED 408 and the far end sees the CANCEL', async (t) => {
  const a = await engine(t);
  const b = await engine(t);
  const offered = nextOffer(b);
  const dialling = a.dial({ target: target(b), ringTimeoutMs: 300 });
  const offer = await offered;
  await offer.ring();
  await t.rejects(dialling, { code: 'DIAL_FAILED', details: { status: 408 } });
  await offer.cancelled;
  t.pass('the far end saw the cancel');
});

t.test('aborting a dial cancels it: DIAL_FAILED 487', async (t) => {
  const a = await engine(t);
  const b = await engine(t);
  const ac = new AbortController();
  const offered = nextOffer(b);
  const dialling = a.dial({ target: target(b), signal: ac.signal });
  const offer = await offered;
  ac.abort();
  await t.rejects(dialling, { code: 'DIAL_FAILED', details: { status: 487 } });
  await offer.cancelled;
});

t.test('a target nobody answers times out with DIAL_FAILED 408', async (t) => {
  const a = await engine(t);
  const silent = await import('node:dgram').then((d) => d.createSocket('udp4'));
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  t.teardown(() => { silent.close(); });
  const dialling = a.dial({ target: `sip:x@127.0.0.1:${String(silent.address().port)}`, ringTimeoutMs: 60_000 });
  await t.rejects(dialling, { code: 'DIAL_FAILED', details: { status: 408 } });
  t.equal(a.legCount, 0);
});

t.test('a retransmitted 2xx is ACKed again and does not end the call', async (t) => {
  const a = await engine(t);
  const peer = await RawSipPeer.open('udp', { host: '127.0.0.1', port: a.sipAddress?.port ?? 0 });
  t.teardown(() => { peer.close(); });
  const dialling = a.dial({ target: `sip:uas@127.0.0.1:${String(peer.port)}` });
  const inv = await peer.request('INVITE');
  const h = (name: string): string => getHeader(inv.message, name) ?? '';
  const ok = `SIP/2.0 200 OK
Via: ${h('via')}
From: ${h('from')}
To: ${h('to')};tag=uas1
Call-ID: ${h('call-id')}
CSeq: ${h('cseq')}
Contact: <sip:uas@127.0.0.1:${String(peer.port)}>
Content-Type: application/sdp
Content-Length: {len}`;
  peer.send(ok, peerSdp(40010));
  const leg = await dialling;
  await peer.request('ACK');
  peer.send(ok, peerSdp(40010));
  await peer.waitFor((m) => m.kind === 'request' && m.method === 'ACK', 3000, peer.received.findIndex((r) => r.message.kind === 'request' && r.message.method === 'ACK') + 1);
  await new Promise((r) => setTimeout(r, 200));
  t.notOk(peer.received.some((r) => r.message.kind === 'request' && r.message.method === 'BYE'), 'no BYE was sent');
  t.equal(leg.closed, false);
});
