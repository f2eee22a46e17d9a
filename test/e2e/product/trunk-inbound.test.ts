/**
 * Inbound calls over a carrier trunk, over real SIP on loopback (issue 9), with open inbound
 * off as in production: a call from an address outside every trunk's ranges is refused 403
 * (Linux loopback answers all of 127.0.0.0/8, so 127.0.0.2 is "another carrier"); a call on
 * either of two DIDs of the demo room's service number reaches that room; a DID dialled in
 * national format (the trunk's country) is normalised to E.164 before the look-up.
 */
import t, { type Test } from 'tap';
import { SipPeer } from '../../support/sip-peer.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { DEMO, startProductServer } from './support/product-server.ts';

const product = await startProductServer(t, {
  rtpBase: 36800,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  env: { TRUNK_OPEN_INBOUND: 'false' },
});
const api = new Api(product);
const operator = new Api({ httpBase: product.httpBase, apiKey: product.operatorKey });
const trunk = await operator.request('POST', '/v1/trunks', {
  name: 'Loopback carrier',
  country: 'DE',
  inboundCidrs: ['127.0.0.1/32'],
  dids: [
    { did: '+493011112222', serviceNumber: DEMO.serviceNumber },
    { did: '+493033334444', serviceNumber: DEMO.serviceNumber },
  ],
});
if (trunk.status !== 201) throw new Error(`trunk not created: ${JSON.stringify(trunk.body)}`);

t.test("a call from an address outside every trunk's ranges is refused 403", async (t) => {
  t.setTimeout(20_000);
  const peer = await SipPeer.open('127.0.0.2');
  t.teardown(() => peer.close());
  const call = await peer.invite({ target: product.sip, to: '+493011112222', from: '+4930555000111' });
  t.equal(call.status, 403, 'refused with 403 Forbidden');
  t.equal(await api.live(), null, 'nothing started in the room');
});

/** Dials `to` from the trunk's address, enters the participant PIN and waits until the leg joined the demo room. */
async function joinsDemoRoom(t: Test, to: string): Promise<void> {
  const caller = await Caller.dial(t, product, { to });
  t.equal(caller.call.status, 200, `${to} is answered`);
  await caller.enterPinAfterWelcome(DEMO.participantPin);
  await caller.skipName();
  const leg = await api.waitForLegByNumber(caller.number, 'joined', 20_000);
  t.ok(leg.id !== '', `a call on ${to} joined the demo room`);
  await caller.hangup();
}

t.test('both DIDs of the service number reach the same room', async (t) => {
  t.setTimeout(90_000);
  await joinsDemoRoom(t, '+493011112222');
  await joinsDemoRoom(t, '+493033334444');
});

t.test("a DID dialled in national format is normalised with the trunk's country", async (t) => {
  t.setTimeout(60_000);
  await joinsDemoRoom(t, '03033334444');
});
