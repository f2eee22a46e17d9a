import net from 'node:net';
import t from 'tap';
import type { Test } from 'tap';
import { EmbeddedEngine } from '../../../src/engines/embedded/embedded-engine.ts';
import { FakeClock } from '../../../src/engines/embedded/sip/clock.ts';
import { getHeader } from '../../../src/engines/embedded/sip/sip-message.ts';
import type { OfferedCall } from '../../../src/ports/engine.ts';
import type { HangupCause, Leg } from '../../../src/ports/leg.ts';
import { peerSdp, RawSipPeer } from './support/raw-sip-peer.ts';

t.setTimeout(60_000);

let seq = 0;
const rtpBase = 42000 + (process.pid % 50) * 100;

async function startEngine(t: Test, extra: { t1Ms?: number; clock?: FakeClock; mediaTimeoutMs?: number } = {}): Promise<EmbeddedEngine> {
  const engine = new EmbeddedEngine(
    { sipHost: '127.0.0.1', sipPort: 0, rtpPortMin: rtpBase, rtpPortMax: rtpBase + 98, t1Ms: extra.t1Ms ?? 100, mediaTimeoutMs: extra.mediaTimeoutMs ?? 0 },
    extra.clock ? { clock: extra.clock } : {},
  );
  await engine.start();
  // destroy(): the test peers do not answer our BYEs, so do not wait for them.
  t.teardown(async () => {
    engine.destroy();
    await engine.close();
  });
  return engine;
}

async function openPeer(t: Test, engine: EmbeddedEngine, transport: 'udp' | 'tcp' = 'udp'): Promise<RawSipPeer> {
  const addr = engine.sipAddress;
  if (!addr) throw new Error('not started');
  const peer = await RawSipPeer.open(transport, addr);
  t.teardown(() => { peer.close(); });
  return peer;
}

interface Call {
  callId: string;
  fromTag: string;
  branch: string;
  uri: string;
}

function newCall(): Call {
  seq += 1;
  return { callId: `call-${String(seq)}-${String(process.pid)}@test`, fromTag: `ft${String(seq)}`, branch: `z9hG4bKtest${String(seq)}x${String(Date.now())}`, uri: 'sip:4930100@127.0.0.1' };
}

function invite(peer: RawSipPeer, c: Call, body: string | undefined, extraHeaders = ''): void {
  sendInvite(peer, c, body, extraHeaders);
}

function sendInvite(peer: RawSipPeer, c: Call, body: string | undefined, extraHeaders: string): void {
  const tr = peer.transport.toUpperCase();
  peer.send(
    `INVITE ${c.uri} SIP/2.0
Via: SIP/2.0/${tr} 127.0.0.1:${String(peer.port)};branch=${c.branch};rport
Max-Forwards: 70
From: "Test Peer" <sip:+4917000@127.0.0.1>;tag=${c.fromTag}
To: <${c.uri}>
Call-ID: ${c.callId}
CSeq: 1 INVITE
Contact: <sip:peer@127.0.0.1:${String(peer.port)}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>
${extraHeaders}${body === undefined ? '' : 'Content-Type: application/sdp\n'}Content-Length: {len}`,
    body ?? '',
  );
}

function inDialog(peer: RawSipPeer, c: Call, method: string, cseq: number, toTag: string, body = '', contentType?: string, cseqMethod = method): void {
  const tr = peer.transport.toUpperCase();
  peer.send(
    `${method} sip:dialbridge@127.0.0.1 SIP/2.0
Via: SIP/2.0/${tr} 127.0.0.1:${String(peer.port)};branch=z9hG4bK${method}${String(cseq)}${c.callId.slice(5, 12)}${String(Date.now())};rport
Max-Forwards: 70
From: "Test Peer" <sip:+4917000@127.0.0.1>;tag=${c.fromTag}
To: <${c.uri}>;tag=${toTag}
Call-ID: ${c.callId}
CSeq: ${String(cseq)} ${cseqMethod}
Contact: <sip:peer@127.0.0.1:${String(peer.port)}>
${contentType === undefined ? '' : `Content-Type: ${contentType}\n`}Content-Length: {len}`,
    body,
  );
}

function nextOffer(engine: EmbeddedEngine): Promise<OfferedCall> {
  return new Promise((resolve) => engine.events.once('offer', resolve));
}

function toTagOf(text: string): string {
  return /^To:.*;tag=([^;\r\n]+)/im.exec(text)?.[1] ?? '';
}

/** Sets up an answered call; returns the leg and the engine's To tag. */
async function answeredCall(t: Test, engine: EmbeddedEngine, peer: RawSipPeer, c: Call = newCall()): Promise<{ leg: Leg; toTag: string; c: Call }> {
  const offered = nextOffer(engine);
  invite(peer, c, peerSdp(40000));
  const offer = await offered;
  const answering = offer.answer();
  const ok = await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'call-id') === c.callId);
  const toTag = toTagOf(ok.text);
  inDialog(peer, c, 'ACK', 1, toTag);
  const leg = await answering;
  t.equal(leg.closed, false);
  return { leg, toTag, c };
}

t.test('OPTIONS outside a dialog is answered 200 with Allow', async (t) => {
  const engine = await startEngine(t);
  for (const transport of ['udp', 'tcp'] as const) {
    const peer = await openPeer(t, engine, transport);
    peer.send(`OPTIONS sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/${transport.toUpperCase()} 127.0.0.1:${String(peer.port)};branch=z9hG4bKopt${transport}
Max-Forwards: 70
From: <sip:probe@127.0.0.1>;tag=o1
To: <sip:127.0.0.1>
Call-ID: options-${transport}@test
CSeq: 1 OPTIONS
Content-Length: 0`);
    const r = await peer.response(200, 'OPTIONS');
    t.match(getHeader(r.message, 'allow'), /INVITE.*BYE.*OPTIONS.*INFO/, `${transport}: Allow lists our methods`);
  }
});

t.test('an unsupported method is answered 405 with Allow, a request in an unknown dialog 481', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  peer.send(`SUBSCRIBE sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${String(peer.port)};branch=z9hG4bKsub1
Max-Forwards: 70
From: <sip:probe@127.0.0.1>;tag=s1
To: <sip:127.0.0.1>
Call-ID: sub@test
CSeq: 1 SUBSCRIBE
Content-Length: 0`);
  const r = await peer.response(405, 'SUBSCRIBE');
  t.ok(getHeader(r.message, 'allow'));
  inDialog(peer, newCall(), 'BYE', 2, 'nosuchtag');
  await peer.response(481, 'BYE');
  t.pass('BYE for an unknown dialog gets 481');
});

t.test('a request missing Max-Forwards is answered 400 with a reason naming it', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  peer.send(`OPTIONS sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${String(peer.port)};branch=z9hG4bKbad1
From: <sip:probe@127.0.0.1>;tag=b1
To: <sip:127.0.0.1>
Call-ID: no-max-forwards@test
CSeq: 1 OPTIONS
Content-Length: 0`);
  const r = await peer.response(400, 'OPTIONS');
  t.equal(r.message.kind === 'response' ? r.message.reason : '', 'Missing Max-Forwards');
});

t.test('an INVITE is offered with its facts, answered, ACKed, and a BYE from the caller ends the leg once', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(
    peer,
    c,
    peerSdp(40000),
    'P-Asserted-Identity: "Erika" <sip:+4930999@carrier.example>, <tel:+4930999>\nRemote-Party-ID: "Erika" <sip:+4930999@carrier.example>;party=calling;privacy=full;screen=yes\nPrivacy: id; critical\n',
  );
  const offer = await offered;
  t.equal(offer.facts.dialledNumber, '4930100');
  t.equal(offer.facts.callId, c.callId);
  t.same(offer.facts.pAssertedIdentity.map((p) => p.user), ['+4930999', '+4930999']);
  t.same(offer.facts.remotePartyId?.params, { party: 'calling', privacy: 'full', screen: 'yes' });
  t.same(offer.facts.privacy, ['id', 'critical']);
  t.equal(offer.facts.from.displayName, 'Test Peer');
  t.same(offer.facts.source, { address: '127.0.0.1', port: peer.port });
  t.equal(offer.facts.transport, 'udp');
  await peer.response(100, 'INVITE');
  await offer.ring();
  await peer.response(180, 'INVITE');
  const answering = offer.answer();
  const ok = await peer.response(200, 'INVITE');
  t.match(ok.message.body.toString(), /a=sendrecv/);
  t.match(getHeader(ok.message, 'contact'), /^<sip:dialbridge@127\.0\.0\.1:\d+>$/);
  const toTag = toTagOf(ok.text);
  // Without an ACK the 2xx is retransmitted.
  await peer.waitFor((m) => m.kind === 'response' && m.status === 200, 3000, peer.received.indexOf(ok) + 1);
  inDialog(peer, c, 'ACK', 1, toTag);
  const leg = await answering;
  const causes: HangupCause[] = [];
  leg.events.on('hangup', (cause) => causes.push(cause));
  inDialog(peer, c, 'BYE', 2, toTag);
  await peer.response(200, 'BYE');
  t.same(causes, [{ by: 'remote', reason: 'bye' }]);
  t.equal(leg.closed, true);
  await t.rejects(leg.play(['x.wav']), { code: 'LEG_GONE' });
  await leg.hangup();
  t.equal(causes.length, 1, 'still one hangup event');
  t.equal(engine.legCount, 0);
});

t.test('CANCEL before the answer gets 200, the INVITE 487, and the offer reports cancelled', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(peer, c, peerSdp(40000));
  const offer = await offered;
  peer.send(`CANCEL ${c.uri} SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${String(peer.port)};branch=${c.branch};rport
Max-Forwards: 70
From: "Test Peer" <sip:+4917000@127.0.0.1>;tag=${c.fromTag}
To: <${c.uri}>
Call-ID: ${c.callId}
CSeq: 1 CANCEL
Content-Length: 0`);
  await peer.response(200, 'CANCEL');
  await peer.response(487, 'INVITE');
  await offer.cancelled;
  await t.rejects(offer.answer(), { code: 'LEG_GONE' });
});

t.test('an offer with no common codec is answered 488 and answer() rejects SDP_NOT_ACCEPTABLE', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(peer, c, peerSdp(40000, { payloads: '18' }));
  const offer = await offered;
  await t.rejects(offer.answer(), { code: 'SDP_NOT_ACCEPTABLE' });
  await peer.response(488, 'INVITE');
  t.equal(engine.legCount, 0);
});

t.test('a late offer (INVITE without SDP) is answered with our offer and the ACK carries the answer', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(peer, c, undefined);
  const offer = await offered;
  const answering = offer.answer();
  const ok = await peer.response(200, 'INVITE');
  t.match(ok.message.body.toString(), /m=audio \d+ RTP\/AVP 0 8 101/);
  const toTag = toTagOf(ok.text);
  inDialog(peer, c, 'ACK', 1, toTag, peerSdp(40002, { payloads: '8 101' }), 'application/sdp');
  const leg = await answering;
  t.equal(leg.closed, false);
  await leg.hangup();
  await peer.request('BYE');
});

t.test('a re-INVITE with sendonly is a hold answered recvonly, and sendrecv resumes', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const { leg, toTag, c } = await answeredCall(t, engine, peer);
  const holds: boolean[] = [];
  leg.events.on('hold', (h) => holds.push(h));
  inDialog(peer, c, 'INVITE', 2, toTag, peerSdp(40000, { direction: 'sendonly' }), 'application/sdp');
  const r1 = await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '2 INVITE');
  t.match(r1.message.body.toString(), /a=recvonly/);
  inDialog(peer, c, 'ACK', 2, toTag);
  inDialog(peer, c, 'INVITE', 3, toTag, peerSdp(40000, { direction: 'inactive' }), 'application/sdp');
  const r2 = await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '3 INVITE');
  t.match(r2.message.body.toString(), /a=inactive/);
  inDialog(peer, c, 'ACK', 3, toTag);
  inDialog(peer, c, 'INVITE', 4, toTag, peerSdp(40000), 'application/sdp');
  const r3 = await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '4 INVITE');
  t.match(r3.message.body.toString(), /a=sendrecv/);
  inDialog(peer, c, 'ACK', 4, toTag);
  t.same(holds, [true, false]);
});

t.test('INFO with application/dtmf-relay and application/dtmf delivers digits from sip-info', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const { leg, toTag, c } = await answeredCall(t, engine, peer);
  const digits: string[] = [];
  leg.events.on('dtmf', (d, s) => digits.push(`${d}:${s}`));
  inDialog(peer, c, 'INFO', 2, toTag, 'Signal=5\r\nDuration=160\r\n', 'application/dtmf-relay');
  await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '2 INFO');
  await new Promise((r) => setTimeout(r, 150));
  inDialog(peer, c, 'INFO', 3, toTag, '#', 'application/dtmf');
  await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '3 INFO');
  await new Promise((r) => setTimeout(r, 50));
  t.same(digits, ['5:sip-info', '#:sip-info']);
  inDialog(peer, c, 'OPTIONS', 4, toTag);
  await peer.waitFor((m) => m.kind === 'response' && m.status === 200 && getHeader(m, 'cseq') === '4 OPTIONS');
  t.pass('in-dialog OPTIONS answered 200');
});

t.test('without an ACK the 2xx is given up after 64·T1 and the call is ended with BYE', async (t) => {
  const engine = await startEngine(t, { t1Ms: 20 });
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(peer, c, peerSdp(40000));
  const offer = await offered;
  const answering = offer.answer();
  await t.rejects(answering, { code: 'LEG_GONE' });
  await peer.request('BYE');
  const retransmits = peer.received.filter((r) => r.message.kind === 'response' && r.message.status === 200).length;
  t.ok(retransmits >= 4, `the 200 was retransmitted (${String(retransmits)} copies)`);
  t.equal(engine.legCount, 0);
});

t.test('our hang-up sends BYE; every later method rejects LEG_GONE', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine, 'tcp');
  const { leg } = await answeredCall(t, engine, peer);
  const causes: HangupCause[] = [];
  leg.events.on('hangup', (cause) => causes.push(cause));
  const hanging = leg.hangup('done');
  const bye = await peer.request('BYE');
  const via = getHeader(bye.message, 'via') ?? '';
  t.match(via, /^SIP\/2\.0\/TCP /);
  peer.send(`SIP/2.0 200 OK
Via: ${via}
From: ${getHeader(bye.message, 'from') ?? ''}
To: ${getHeader(bye.message, 'to') ?? ''}
Call-ID: ${getHeader(bye.message, 'call-id') ?? ''}
CSeq: ${getHeader(bye.message, 'cseq') ?? ''}
Content-Length: 0`);
  await hanging;
  t.same(causes, [{ by: 'local', reason: 'done' }]);
  const ops: (() => Promise<unknown>)[] = [() => leg.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 10, interDigitTimeoutMs: 10 }), () => leg.sendDtmf('1'), () => leg.record({ path: '/tmp/x.wav', maxSeconds: 1 })];
  for (const op of ops) {
    await t.rejects(op(), { code: 'LEG_GONE' });
  }
});

t.test('closing the engine hangs up every leg and emits closed once', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const { leg } = await answeredCall(t, engine, peer);
  const closed: string[] = [];
  engine.events.on('closed', (r) => closed.push(r));
  const causes: HangupCause[] = [];
  leg.events.on('hangup', (cause) => causes.push(cause));
  const closing = engine.close();
  await peer.request('BYE');
  await closing;
  await engine.close();
  t.same(closed, ['closed']);
  t.same(causes, [{ by: 'engine', reason: 'shutdown' }]);
  t.equal(engine.closed, true);
  await t.rejects(engine.createBridge('x'), { code: 'ENGINE_CLOSED' });
});

t.test('an offer nobody decides on is rejected 480 after 32 s', async (t) => {
  const clock = new FakeClock();
  const engine = await startEngine(t, { clock });
  const peer = await openPeer(t, engine);
  const offered = nextOffer(engine);
  invite(peer, newCall(), peerSdp(40000));
  const offer = await offered;
  clock.advance(31_999);
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(peer.received.some((r) => r.message.kind === 'response' && r.message.status === 480));
  clock.advance(1);
  await peer.response(480, 'INVITE');
  await t.rejects(offer.answer(), { code: 'LEG_GONE' });
});

t.test('closing the engine answers an undecided offer 503', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const offered = nextOffer(engine);
  invite(peer, newCall(), peerSdp(40000));
  const offer = await offered;
  await engine.close();
  await peer.response(503, 'INVITE');
  await t.rejects(offer.answer(), { code: 'LEG_GONE' });
});

t.test('a call without RTP is hung up with BYE after the media timeout', async (t) => {
  const engine = await startEngine(t, { mediaTimeoutMs: 400 });
  const peer = await openPeer(t, engine);
  const { leg } = await answeredCall(t, engine, peer);
  const cause = await new Promise<HangupCause>((resolve) => leg.events.once('hangup', resolve));
  t.equal(cause.by, 'media-timeout');
  await peer.request('BYE');
  t.equal(engine.legCount, 0);
});

t.test('in-dialog requests follow the Record-Route set and the Contact', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  const c = newCall();
  const offered = nextOffer(engine);
  invite(peer, c, peerSdp(40000), `Record-Route: <sip:127.0.0.1:${String(peer.port)};lr;ftag=x>\n`);
  const offer = await offered;
  const answering = offer.answer();
  const ok = await peer.response(200, 'INVITE');
  t.equal(getHeader(ok.message, 'record-route'), `<sip:127.0.0.1:${String(peer.port)};lr;ftag=x>`, 'the 2xx echoes Record-Route');
  inDialog(peer, c, 'ACK', 1, toTagOf(ok.text));
  const leg = await answering;
  void leg.hangup();
  const bye = await peer.request('BYE');
  t.equal(getHeader(bye.message, 'route'), `<sip:127.0.0.1:${String(peer.port)};lr;ftag=x>`);
  t.equal(bye.message.kind === 'request' ? bye.message.uri : '', `sip:peer@127.0.0.1:${String(peer.port)}`);
});

t.test('an oversized message over TCP is answered 413 and the connection closed', async (t) => {
  const engine = await startEngine(t);
  const sock = net.connect(engine.sipAddress?.port ?? 0, '127.0.0.1');
  sock.on('error', () => undefined);
  t.teardown(() => { sock.destroy(); });
  let data = '';
  sock.on('data', (d: Buffer) => { data += d.toString('latin1'); });
  const closed = new Promise<void>((resolve) => sock.once('close', () => { resolve(); }));
  await new Promise<void>((resolve) => sock.once('connect', () => { resolve(); }));
  sock.write(`INVITE sip:1@127.0.0.1 SIP/2.0\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
  await closed;
  t.match(data, /^SIP\/2\.0 413 /);
});

t.test('garbage datagrams get no answer and do not disturb the next request', async (t) => {
  const engine = await startEngine(t);
  const peer = await openPeer(t, engine);
  for (let i = 0; i < 200; i++) peer.sendRaw(Buffer.from(Array.from({ length: 50 + i }, (_v, k) => (k * 7 + i) % 256)));
  peer.send(`OPTIONS sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 127.0.0.1:${String(peer.port)};branch=z9hG4bKafter
Max-Forwards: 70
From: <sip:probe@127.0.0.1>;tag=g1
To: <sip:127.0.0.1>
Call-ID: after-garbage@test
CSeq: 1 OPTIONS
Content-Length: 0`);
  await peer.response(200, 'OPTIONS');
  t.equal(engine.closed, false);
});
