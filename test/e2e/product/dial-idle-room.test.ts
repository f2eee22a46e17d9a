/**
 * A dial into a room where no conference runs (issue 9: "starts one only if the requester is
 * allowed to"): the room's host, from the API, opens the meeting by calling a guest through a
 * digest-challenging trunk whose far end is a real SIP peer on 127.0.0.1; whoever may not is
 * refused before any SIP. Judged by the API's answers, the live view and its event stream,
 * the prompts the guest hears and the INVITEs the carrier received.
 */
import t from 'tap';
import { SipPeer, type SipCall } from '../../support/sip-peer.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { toneRms } from './support/tone-level.ts';
import { waitForPrompt } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';

const product = await startProductServer(t, {
  rtpBase: 36600,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  env: { DIAL_DESTINATIONS: 'DE', DIAL_RING_SECONDS: '4' },
});
const api = new Api(product);
const operator = new Api({ httpBase: product.httpBase, apiKey: product.operatorKey });

const carrier = await SipPeer.open();
t.teardown(() => carrier.close());
carrier.challenge = { status: 407, realm: 'carrier.example', nonce: `n${String(Date.now())}`, username: 'trunkuser', password: 's3cret-trunk' };
const trunk = await operator.request('POST', '/v1/trunks', {
  name: 'Test carrier', country: 'DE', outboundUri: `sip:127.0.0.1:${String(carrier.port)}`, username: 'trunkuser', password: 's3cret-trunk', maxConcurrent: 10,
});
if (trunk.status !== 201) throw new Error(`trunk not created: ${JSON.stringify(trunk.body)}`);

function nextCarrierCall(): Promise<SipCall> {
  return new Promise((resolve) => carrier.events.once('call', resolve));
}

t.test('someone who may not start the meeting is refused before any SIP', async (t) => {
  t.equal(await api.live(), null, 'no conference runs in the room');
  const before = carrier.calls.length;
  // The operator runs the server but sees no customer's rooms (the permission table).
  const refused = await operator.request('POST', `/v1/rooms/${DEMO.roomId}/dial`, { number: '+4930123456789' });
  t.equal(refused.status, 404, JSON.stringify(refused.body));
  t.equal((refused.body as { code?: string }).code, 'NOT_FOUND');
  t.equal(carrier.calls.length, before, 'the carrier received no INVITE');
  t.equal(await api.live(), null, 'and no conference was started');
});

t.test("the room's host dials from the API into an idle room: the conference starts, the guest presses 1 and is in", async (t) => {
  t.setTimeout(60_000);
  carrier.uasMode = 'answer';
  const stream = await api.stream();
  t.teardown(() => {
    stream.close();
  });
  const arrived = nextCarrierCall();
  const answer = (await api.request('POST', `/v1/rooms/${DEMO.roomId}/dial`, { number: '+4930123456789', name: 'Gina Guest' })) as { status: number; body: { id?: string; state?: string } };
  t.equal(answer.status, 201, JSON.stringify(answer.body));
  t.equal(answer.body.state, 'dialing');
  const legId = answer.body.id ?? '';
  await stream.waitFor((event) => event === 'conference-started', 10_000, 'conference-started');
  const live = await api.live();
  t.ok(live?.legs.some((l) => l.id === legId), 'the live view shows the new conference with the dialled leg');
  const far = await arrived;
  const heard = await waitForPrompt(far.rtp, 'dial-press-1', { timeoutMs: 20_000 });
  t.ok(heard.score >= 0.8, 'the guest is asked to press 1');
  await far.rtp.sendDigits('1', 100, 80);
  const joined = await api.waitForLegByNumber('+4930123456789', 'joined');
  t.equal(joined.id, legId, 'the guest joined the meeting their call opened');
  await far.bye();
  await stream.waitFor((event) => event === 'conference-ended', 15_000, 'conference-ended');
  t.equal(await api.live(), null, 'the last one out ends it');
});

t.test('a dial into an idle room that fails ends the conference it opened', async (t) => {
  t.setTimeout(40_000);
  carrier.uasMode = 'busy';
  const stream = await api.stream();
  t.teardown(() => {
    stream.close();
  });
  const answer = (await api.request('POST', `/v1/rooms/${DEMO.roomId}/dial`, { number: '+4930123456780' })) as { status: number; body: { id?: string } };
  t.equal(answer.status, 201, JSON.stringify(answer.body));
  const left = (await stream.waitFor((event, d) => event === 'leg-left' && JSON.stringify(d).includes(answer.body.id ?? '-'), 20_000, 'leg-left')) as { reason?: string };
  t.equal(left.reason, 'busy');
  await stream.waitFor((event) => event === 'conference-ended', 15_000, 'conference-ended');
  t.equal(await api.live(), null, 'no empty meeting is left behind');
});

t.test('a guest dialled from the API hears the recorded name of the host in the room, then "invites you", then "press 1"', async (t) => {
  t.setTimeout(90_000);
  const NAME_HZ = 700;
  const host = await Caller.dial(t, product);
  await host.enterPinAfterWelcome(DEMO.hostPin);
  await host.speakName(NAME_HZ, 1.0);
  const review = await host.hear('keep-or-record-again', 0, 20_000);
  await host.after(review);
  await host.keys('1');
  const hostLeg = await api.waitForLegByNumber(host.number, 'joined', 20_000);
  t.equal(hostLeg.hasSpokenName, true, 'the host recorded a spoken name');

  carrier.uasMode = 'answer';
  const arrived = nextCarrierCall();
  const answer = (await api.request('POST', `/v1/rooms/${DEMO.roomId}/dial`, { number: '+4930123456781' })) as { status: number; body: { id?: string } };
  t.equal(answer.status, 201, JSON.stringify(answer.body));
  const far = await arrived;
  const invites = await waitForPrompt(far.rtp, 'dial-invites-you', { timeoutMs: 20_000 });
  t.ok(invites.score >= 0.8, 'the guest hears "invites you to a conference call"');
  const before = far.rtp.receivedSince(0).subarray(0, Math.max(0, invites.start));
  const level = toneRms(before, NAME_HZ);
  t.ok(level > 500, `right after the host's recorded name (${String(NAME_HZ)} Hz level ${level.toFixed(0)})`);
  t.ok((await waitForPrompt(far.rtp, 'dial-press-1', { from: invites.end, timeoutMs: 20_000 })).score >= 0.8, 'then "press 1 to join"');
  await far.bye();
  await host.hangup();
});
