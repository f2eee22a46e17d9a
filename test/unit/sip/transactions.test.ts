import t from 'tap';
import { FakeClock } from '../../../src/engines/embedded/sip/clock.ts';
import { header, type SipRequest, type SipResponse } from '../../../src/engines/embedded/sip/sip-message.ts';
import { createResponse } from '../../../src/engines/embedded/sip/sip-responses.ts';
import { InviteClientTransaction } from '../../../src/engines/embedded/sip/transactions/invite-client-transaction.ts';
import { InviteServerTransaction } from '../../../src/engines/embedded/sip/transactions/invite-server-transaction.ts';
import { NonInviteClientTransaction } from '../../../src/engines/embedded/sip/transactions/non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from '../../../src/engines/embedded/sip/transactions/non-invite-server-transaction.ts';
import { timersFromT1 } from '../../../src/engines/embedded/sip/transactions/transaction-timers.ts';
import { retransmit2xx } from '../../../src/engines/embedded/sip/uas-2xx-retransmitter.ts';
import { buildNon2xxAck } from '../../../src/engines/embedded/sip/sip-stack.ts';

t.setTimeout(10_000);
const timers = timersFromT1(500); // T1 500, T2 4000, T4 5000

function request(method: string): SipRequest {
  return {
    kind: 'request',
    version: 'SIP/2.0',
    method,
    uri: 'sip:a@192.0.2.1',
    headers: [
      header('Via', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKx'),
      header('From', '<sip:b@192.0.2.10>;tag=1'),
      header('To', '<sip:a@192.0.2.1>'),
      header('Call-ID', 'c@x'),
      header('CSeq', `1 ${method}`),
      header('Max-Forwards', '70'),
    ],
    body: Buffer.alloc(0),
  };
}
const response = (req: SipRequest, status: number): SipResponse => createResponse(req, status, { toTag: 'srv' });

/** Times (ms since start) at which `send` was called. */
function recorder(clock: FakeClock): { times: number[]; sent: (SipRequest | SipResponse)[]; send: (m: SipRequest | SipResponse) => void } {
  const times: number[] = [];
  const sent: (SipRequest | SipResponse)[] = [];
  return { times, sent, send: (m) => { times.push(clock.now()); sent.push(m); } };
}

t.test('INVITE client: Timer A retransmits at T1 doubling, Timer B times out at 64·T1 (UDP)', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  let timedOut = 0;
  let terminated = 0;
  const tx = new InviteClientTransaction(request('INVITE'), {
    clock, timers, reliable: false, send: rec.send, onResponse: () => undefined,
    onTimeout: () => { timedOut++; }, onTerminated: () => { terminated++; },
  });
  tx.start();
  clock.advance(32_000);
  t.same(rec.times, [0, 500, 1500, 3500, 7500, 15500, 31500]);
  t.equal(timedOut, 1);
  t.equal(terminated, 1);
  t.equal(tx.state, 'terminated');
  t.equal(clock.pending, 0, 'no timer left behind');
  t.end();
});

t.test('INVITE client over TCP sends once and still times out with Timer B', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  let timedOut = 0;
  const tx = new InviteClientTransaction(request('INVITE'), {
    clock, timers, reliable: true, send: rec.send, onResponse: () => undefined,
    onTimeout: () => { timedOut++; }, onTerminated: () => undefined,
  });
  tx.start();
  clock.advance(40_000);
  t.same(rec.times, [0]);
  t.equal(timedOut, 1);
  t.end();
});

t.test('INVITE client: a provisional stops Timer A; a non-2xx final is ACKed and the ACK repeated for retransmissions until Timer D', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  const seen: number[] = [];
  const tx = new InviteClientTransaction(inv, {
    clock, timers, reliable: false, send: rec.send, onResponse: (r) => { seen.push(r.status); },
    onTimeout: () => undefined, onTerminated: () => undefined, buildAck: (r) => buildNon2xxAck(inv, r),
  });
  tx.start();
  tx.receive(response(inv, 180));
  clock.advance(5000);
  t.same(rec.times, [0], 'no retransmission after 180');
  tx.receive(response(inv, 486));
  tx.receive(response(inv, 486));
  t.same(seen, [180, 486], 'the TU sees the final once');
  t.same(rec.sent.slice(1).map((m) => (m.kind === 'request' ? m.method : m.status)), ['ACK', 'ACK']);
  t.equal(tx.state, 'completed');
  clock.advance(32_000);
  t.equal(tx.state, 'terminated');
  t.end();
});

t.test('INVITE client: 2xx goes to the TU, retransmitted 2xx too, then Timer M ends it', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  const seen: number[] = [];
  const tx = new InviteClientTransaction(inv, {
    clock, timers, reliable: false, send: rec.send, onResponse: (r) => { seen.push(r.status); },
    onTimeout: () => undefined, onTerminated: () => undefined,
  });
  tx.start();
  tx.receive(response(inv, 200));
  tx.receive(response(inv, 200));
  t.same(seen, [200, 200]);
  t.equal(tx.state, 'accepted');
  clock.advance(32_000);
  t.equal(tx.state, 'terminated');
  t.end();
});

t.test('non-INVITE client: Timer E doubles up to T2, Timer F times out at 64·T1', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  let timedOut = 0;
  const tx = new NonInviteClientTransaction(request('BYE'), {
    clock, timers, reliable: false, send: rec.send, onResponse: () => undefined,
    onTimeout: () => { timedOut++; }, onTerminated: () => undefined,
  });
  tx.start();
  clock.advance(32_000);
  t.same(rec.times, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  t.equal(timedOut, 1);
  t.end();
});

t.test('non-INVITE client: after a provisional, retransmissions go at T2; a final stops them and Timer K ends it', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const req = request('BYE');
  const tx = new NonInviteClientTransaction(req, {
    clock, timers, reliable: false, send: rec.send, onResponse: () => undefined,
    onTimeout: () => undefined, onTerminated: () => undefined,
  });
  tx.start();
  clock.advance(100);
  tx.receive(response(req, 100));
  clock.advance(9000);
  t.same(rec.times, [0, 500, 4500, 8500]);
  tx.receive(response(req, 200));
  t.equal(tx.state, 'completed');
  clock.advance(5000);
  t.equal(tx.state, 'terminated');
  t.end();
});

t.test('INVITE server: a retransmitted INVITE is answered with the last response', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  const tx = new InviteServerTransaction(inv, { clock, timers, reliable: false, send: rec.send, onTerminated: () => undefined });
  tx.respond(response(inv, 100));
  tx.receive(inv);
  tx.respond(response(inv, 180));
  tx.receive(inv);
  t.same(rec.sent.map((m) => (m.kind === 'response' ? m.status : 0)), [100, 100, 180, 180]);
  t.end();
});

t.test('INVITE server: a non-2xx final is retransmitted on Timer G until Timer H, which reports the missing ACK', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  let timeouts = 0;
  const tx = new InviteServerTransaction(inv, {
    clock, timers, reliable: false, send: rec.send, onTerminated: () => undefined, onTimeout: () => { timeouts++; },
  });
  tx.respond(response(inv, 486));
  clock.advance(32_000);
  t.same(rec.times, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
  t.equal(timeouts, 1);
  t.equal(tx.state, 'terminated');
  t.end();
});

t.test('INVITE server: the ACK stops Timer G and Timer I ends the transaction after T4', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  const tx = new InviteServerTransaction(inv, { clock, timers, reliable: false, send: rec.send, onTerminated: () => undefined });
  tx.respond(response(inv, 487));
  clock.advance(600);
  tx.receive(request('ACK'));
  t.equal(tx.state, 'confirmed');
  clock.advance(4999);
  t.equal(tx.state, 'confirmed');
  clock.advance(1);
  t.equal(tx.state, 'terminated');
  t.same(rec.times, [0, 500]);
  t.end();
});

t.test('INVITE server: after a 2xx, retransmitted INVITEs get the 2xx again until Timer L', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const inv = request('INVITE');
  const tx = new InviteServerTransaction(inv, { clock, timers, reliable: false, send: rec.send, onTerminated: () => undefined });
  tx.respond(response(inv, 200));
  tx.receive(inv);
  t.equal(rec.sent.length, 2);
  t.equal(tx.state, 'accepted');
  clock.advance(32_000);
  t.equal(tx.state, 'terminated');
  t.end();
});

t.test('non-INVITE server: retransmitted requests replay the final; Timer J ends it (0 on TCP)', (t) => {
  const clock = new FakeClock();
  const rec = recorder(clock);
  const req = request('OPTIONS');
  const tx = new NonInviteServerTransaction(req, { clock, timers, reliable: false, send: rec.send, onTerminated: () => undefined });
  tx.respond(response(req, 200));
  tx.receive();
  t.equal(rec.sent.length, 2);
  clock.advance(31_999);
  t.equal(tx.state, 'completed');
  clock.advance(1);
  t.equal(tx.state, 'terminated');
  const tcp = new NonInviteServerTransaction(req, { clock, timers, reliable: true, send: rec.send, onTerminated: () => undefined });
  tcp.respond(response(req, 200));
  clock.advance(0);
  t.equal(tcp.state, 'terminated');
  t.end();
});

t.test('UAS 2xx: retransmitted at T1 doubling to T2 until ACK', (t) => {
  const clock = new FakeClock();
  const times: number[] = [];
  let noAck = 0;
  const r = retransmit2xx(clock, timers, false, () => { times.push(clock.now()); }, () => { noAck++; });
  clock.advance(12_000);
  r.acked();
  clock.advance(60_000);
  t.same(times, [500, 1500, 3500, 7500, 11500]);
  t.equal(noAck, 0);
  t.equal(clock.pending, 0);
  t.end();
});

t.test('UAS 2xx: without ACK the session is given up after 64·T1', (t) => {
  const clock = new FakeClock();
  let noAck = 0;
  retransmit2xx(clock, timers, true, () => { t.fail('no retransmission over TCP'); }, () => { noAck++; });
  clock.advance(31_999);
  t.equal(noAck, 0);
  clock.advance(1);
  t.equal(noAck, 1);
  t.end();
});
