/**
 * Media that cannot be abused, over real SIP/RTP on loopback: an SDP `c=` that is a hostname,
 * not an IP literal, multicast or unspecified is 488 with no DNS look-up; telephone-events
 * spoofed from the host's own address and port but with a foreign SSRC run no host command;
 * "end the conference" takes two presses; an INVITE whose 2xx is never ACKed sends no RTP to
 * the address its offer named, and the leg is recorded as `no-ack`.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP } from 'node:net';
import t from 'tap';
import { Api } from '../product/support/api.ts';
import { byeWithin, Caller } from '../product/support/caller.ts';
import { DEMO, openSideStore, startProductServer } from '../product/support/product-server.ts';
import { counterValue } from './support/counters.ts';
import { eventually, RawSipClient, sleep } from './support/raw-sip.ts';

// Every name look-up the process makes (sockets take `dns.lookup` when they are created, so
// this wraps it before the server starts). IP literals are not look-ups and are not counted.
const lookups: string[] = [];
const realLookup = dns.lookup;
const spy = ((hostname: string, ...rest: unknown[]) => {
  if (isIP(hostname) === 0) lookups.push(hostname);
  return (realLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
}) as typeof dns.lookup;
dns.lookup = spy;
t.teardown(() => { dns.lookup = realLookup; });

const product = await startProductServer(t, {
  rtpBase: 24600,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
});
const api = new Api(product);

function offer(c: string, port = 40000): string {
  const family = c.includes(':') ? 'IP6' : 'IP4';
  return ['v=0', `o=x 1 1 IN ${family} ${c}`, 's=x', `c=IN ${family} ${c}`, 't=0 0', `m=audio ${String(port)} RTP/AVP 0 101`, 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
}

t.test('the DNS spy sees a socket look-up (control)', async (t) => {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => {
    socket.connect(9, 'localhost', () => { resolve(); });
    socket.once('error', () => { resolve(); });
  });
  socket.close();
  t.ok(lookups.includes('localhost'), 'a hostname passed to a UDP socket is seen');
  lookups.length = 0;
});

t.test('c= that is a hostname, not an IP, multicast, broadcast or unspecified: 488, and no DNS look-up', async (t) => {
  const client = await RawSipClient.open('127.0.0.8', product.sip);
  t.teardown(() => client.close());
  const cases = ['localhost', 'media.example.invalid', '999.1.1.1', '224.0.0.1', '255.255.255.255', '0.0.0.0', 'ff02::1'];
  const ids = cases.map((c) => client.send({ to: DEMO.serviceNumber, sdp: offer(c) }));
  await eventually(() => ids.every((id) => client.statuses(id).some((s) => s >= 200)), 8000);
  cases.forEach((c, i) => { t.ok(client.statuses(ids[i] ?? '').includes(488), `c=${c} is answered 488`); });
  await sleep(500);
  t.same(lookups, [], 'no name was looked up');
});

t.test('telephone-events from the host\'s address and port with a foreign SSRC run no host command; a real double 9 ends the room', async (t) => {
  const join = async (pin: string): Promise<Caller> => {
    const caller = await Caller.dial(t, product);
    if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
    await caller.enterPinAfterWelcome(pin);
    await caller.skipName();
    await api.waitForLegByNumber(caller.number, 'joined');
    return caller;
  };
  const [host, guest] = await Promise.all([join(DEMO.hostPin), join(DEMO.participantPin)]);
  const server = host.call.remoteAudio;
  if (server === undefined) throw new Error('no SDP answer');
  const before = await counterValue(product, 'dialbridge_sip_media_guard_total', { kind: 'dtmf-spoofed' });

  // The attacker forges the host's source address and port (here: sends from the host's very
  // socket) with its own SSRC and sequence: two complete presses of 9, as a real phone sends them.
  const ssrc = 0x5eed5eed;
  let seq = 1000;
  for (const [press, ts] of [[0, 1_000_000], [1, 2_000_000]] as const) {
    for (let i = 0; i < 6; i++) {
      const end = i >= 3;
      const packet = Buffer.alloc(16);
      packet[0] = 0x80;
      packet[1] = (i === 0 ? 0x80 : 0) | 101;
      packet.writeUInt16BE(seq++ & 0xffff, 2);
      packet.writeUInt32BE(ts + press, 4);
      packet.writeUInt32BE(ssrc, 8);
      packet[12] = 9;
      packet[13] = end ? 0x80 | 10 : 10;
      packet.writeUInt16BE(end ? 800 : (i + 1) * 160, 14);
      host.rtp.socket.send(packet, server.port, server.host);
      await sleep(20);
    }
    await sleep(300);
  }
  t.equal(await byeWithin(guest.call, 3000), false, 'the conference is still running');
  t.ok((await counterValue(product, 'dialbridge_sip_media_guard_total', { kind: 'dtmf-spoofed' })) >= before + 12, 'every spoofed packet was dropped and counted');

  const from = host.rtp.receivedSamples;
  await host.keys('9');
  await host.hear('confirm-end-conference', from, 10_000);
  t.equal(await byeWithin(guest.call, 1500), false, 'one real press only asks for confirmation');
  await host.keys('9');
  t.equal(await byeWithin(guest.call, 10_000), true, 'the second press ends the conference');
});

t.test('an INVITE never ACKed: no RTP to the address in its offer, and the leg is recorded as no-ack', async (t) => {
  t.setTimeout(90_000);
  // The "victim" the offer points at: another loopback address, counting what arrives.
  const victim = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => victim.bind(0, '127.0.0.5', () => { resolve(); }));
  let packets = 0;
  victim.on('message', () => { packets += 1; });
  t.teardown(() => { victim.close(); });
  const attacker = await RawSipClient.open('127.0.0.7', product.sip);
  t.teardown(() => attacker.close());
  const callId = attacker.send({ to: DEMO.serviceNumber, sdp: offer('127.0.0.5', victim.address().port) });
  t.ok(await eventually(() => attacker.statuses(callId).includes(200), 5000), 'answered 200 (and never ACKed)');
  const store = openSideStore(t, product.dataDir);
  // 64·T1 = 32 s of 2xx retransmissions, then the server gives up (bounded wait: 45 s).
  const gone = await eventually(() => store.legs.byCallId(callId)?.state === 'left', 45_000);
  t.ok(gone, 'the leg ends');
  t.equal(store.legs.byCallId(callId)?.leftReason, 'no-ack', 'its reason is no-ack, not cancel');
  await sleep(500);
  t.equal(packets, 0, 'not one RTP packet went to the offered address while the dialog was unconfirmed');
});
