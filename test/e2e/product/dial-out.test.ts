/**
 * Dial-out end to end on the embedded engine: a host in the demo room brings guests in by
 * calling them through a digest-challenging trunk whose far end is a real SIP peer (over
 * 127.0.0.1). Judged by what a user observes: the API's answers, live status and its event
 * stream, the prompts the guest hears, the audio both ways, the INVITEs the carrier received
 * (none for a refused dial) and the dial-attempt audit.
 */
import t from 'tap';
import { SipPeer, type SipCall } from '../../support/sip-peer.ts';
import { toneSource } from '../../support/tone.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { waitForPrompt } from './support/prompt-listener.ts';
import { DEMO_IDS } from '../../../src/storage/seed-demo.ts';
import { DEMO, openSideStore, startProductServer } from './support/product-server.ts';
import { levelOf } from './support/tone-level.ts';

const HOST_HZ = 1250;
const GUEST_HZ = 1800;
const HEARD = 1500;

const product = await startProductServer(t, {
  rtpBase: 32000,
  roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  env: { DIAL_DESTINATIONS: 'DE,GB', DIAL_MAX_PER_ROOM: '2', DIAL_RING_SECONDS: '4' },
});
const api = new Api(product);
const operator = new Api({ httpBase: product.httpBase, apiKey: product.operatorKey });
const side = openSideStore(t, product.dataDir);

// The carrier's far end: challenges every INVITE (407) and checks the digest credentials.
const carrier = await SipPeer.open();
t.teardown(() => carrier.close());
carrier.challenge = { status: 407, realm: 'carrier.example', nonce: `n${String(Date.now())}`, username: 'trunkuser', password: 's3cret-trunk' };
const trunk = await operator.request('POST', '/v1/trunks', {
  name: 'Test carrier', country: 'DE', outboundUri: `sip:127.0.0.1:${String(carrier.port)}`, username: 'trunkuser', password: 's3cret-trunk', maxConcurrent: 10,
});
if (trunk.status !== 201) throw new Error(`trunk not created: ${JSON.stringify(trunk.body)}`);

// The host joins the room by dialling in.
const host = await Caller.dial(t, product);
await host.enterPinAfterWelcome(DEMO.hostPin);
await host.skipName();
const hostLeg = await api.waitForLegByNumber(host.number, 'joined');
const stream = await api.stream();
t.teardown(() => {
  stream.close();
});

let nextGuest = 1000;
/** A fresh German number the policy allows. */
function guestNumber(): string {
  nextGuest += 1;
  return `+49301234${String(nextGuest)}`;
}

/** The next call the carrier receives (after the digest retry). */
function nextCarrierCall(): Promise<SipCall> {
  return new Promise((resolve) => carrier.events.once('call', resolve));
}

/** Waits until the stream showed the leg in `state`. */
function sawState(legId: string, state: string, timeoutMs = 15_000): Promise<unknown> {
  return stream.waitFor((_e, data) => JSON.stringify(data).includes(`"id":"${legId}"`) && JSON.stringify(data).includes(`"state":"${state}"`), timeoutMs, `${legId} ${state}`);
}

/** Waits for the leg's `leg.left` event; returns its reason. */
async function leftReason(legId: string, timeoutMs = 20_000): Promise<string> {
  const data = (await stream.waitFor((event, d) => event === 'leg-left' && JSON.stringify(d).includes(legId), timeoutMs, `${legId} left`)) as { reason?: string };
  return data.reason ?? '';
}

async function dial(number: string, name?: string): Promise<{ status: number; body: { id?: string; state?: string; name?: string; code?: string } }> {
  const answer = await api.request('POST', `/v1/rooms/${DEMO.roomId}/dial`, { number, ...(name === undefined ? {} : { name }) });
  return answer as { status: number; body: { id?: string; state?: string; name?: string; code?: string } };
}

t.test('a host dials a guest from the API: dialing, ringing, asked to press 1, joined, two-way audio', async (t) => {
  t.setTimeout(60_000);
  carrier.uasMode = 'answer';
  const arrived = nextCarrierCall();
  const answer = await dial(guestNumber(), 'Gina Guest');
  t.equal(answer.status, 201, JSON.stringify(answer.body));
  t.equal(answer.body.state, 'dialing', 'the leg appears at once, dialing');
  t.equal(answer.body.name, 'Gina Guest', 'with the name the host gave');
  const legId = answer.body.id ?? '';
  const far = await arrived;
  t.ok(carrier.auth.accepted >= 1, 'the trunk challenged and the retried INVITE carried valid digest credentials');
  await sawState(legId, 'ringing');
  await sawState(legId, 'in-ivr');
  const heard = await waitForPrompt(far.rtp, 'dial-press-1', { timeoutMs: 20_000 });
  t.ok(heard.score >= 0.8, 'the guest hears "Press 1 to join"');
  await far.rtp.sendDigits('1', 100, 80);
  await sawState(legId, 'joined');
  host.talk(HOST_HZ);
  far.rtp.setSource(toneSource(GUEST_HZ, 8000));
  t.ok((await levelOf(host.rtp, GUEST_HZ)) > HEARD, 'the host hears the guest');
  t.ok((await levelOf(far.rtp, HOST_HZ)) > HEARD, 'the guest hears the host');
  host.hush();
  await far.bye();
  t.equal(await leftReason(legId), 'hangup', 'the guest hanging up leaves the room');
});

t.test('busy, no answer and a guest who never presses 1 each end failed with the reason', async (t) => {
  t.setTimeout(90_000);
  carrier.uasMode = 'busy';
  const busy = await dial(guestNumber());
  t.equal(busy.status, 201);
  await sawState(busy.body.id ?? '', 'failed');
  t.equal(await leftReason(busy.body.id ?? ''), 'busy', 'busy');

  carrier.uasMode = 'ring';
  const silent = await dial(guestNumber());
  t.equal(await leftReason(silent.body.id ?? ''), 'no-answer', 'no answer within DIAL_RING_SECONDS');

  carrier.uasMode = 'answer';
  const arrived = nextCarrierCall();
  const voicemail = await dial(guestNumber());
  const far = await arrived;
  await waitForPrompt(far.rtp, 'dial-press-1', { timeoutMs: 20_000 });
  t.equal(await leftReason(voicemail.body.id ?? '', 45_000), 'declined', 'nobody pressed 1: hung up, never in the room');
  t.notOk((await api.live())?.legs.some((l) => l.id === voicemail.body.id), 'not in live status any more');
});

t.test('the host cancels a ringing dial: the carrier gets CANCEL', async (t) => {
  t.setTimeout(30_000);
  carrier.uasMode = 'ring';
  const arrived = nextCarrierCall();
  const answer = await dial(guestNumber());
  const legId = answer.body.id ?? '';
  const far = await arrived;
  await sawState(legId, 'ringing');
  const cancelled = await api.request('DELETE', `/v1/rooms/${DEMO.roomId}/dial/${legId}`);
  t.equal(cancelled.status, 204);
  await far.cancelReceived;
  t.equal(await leftReason(legId), 'cancelled');
  const again = await api.request('DELETE', `/v1/rooms/${DEMO.roomId}/dial/${legId}`);
  t.equal(again.status, 404, 'a dial that is over cannot be cancelled again');
});

t.test('refused dials never reach SIP: premium rate, a destination outside the allow-list, the room cap', async (t) => {
  t.setTimeout(40_000);
  const before = carrier.calls.length;
  const premium = await dial('+44 909 879 0000');
  t.equal(premium.status, 403);
  t.equal(premium.body.code, 'DIAL_REFUSED_NUMBER_TYPE');
  const abroad = await dial('+33 1 42 68 53 00');
  t.equal(abroad.status, 403);
  t.equal(abroad.body.code, 'DIAL_REFUSED_DESTINATION');
  const malformed = await dial('12ab');
  t.equal(malformed.status, 400);
  t.equal(malformed.body.code, 'DIAL_NUMBER_INVALID');
  t.equal(carrier.calls.length, before, 'the carrier received no INVITE for any of them');

  carrier.uasMode = 'ring';
  const first = await dial(guestNumber());
  const second = await dial(guestNumber());
  t.equal(first.status, 201);
  t.equal(second.status, 201);
  const third = await dial(guestNumber());
  t.equal(third.status, 429, 'the room cap (DIAL_MAX_PER_ROOM=2) refuses the next dial');
  t.equal(third.body.code, 'DIAL_LIMIT_CONCURRENT');
  // A dial is answered 201 before its INVITE leaves (the leg's media is opened first): wait for
  // the two, bounded, then give a refused third one the same time to show up if it wrongly did.
  for (let i = 0; i < 50 && carrier.calls.length < before + 2; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  t.equal(carrier.calls.length, before + 2, 'only the two allowed dials reached the carrier');
  for (const d of [first, second]) await api.request('DELETE', `/v1/rooms/${DEMO.roomId}/dial/${d.body.id ?? ''}`);
});

t.test('the host dials from the keypad: the dial key, the number, #', async (t) => {
  t.setTimeout(60_000);
  carrier.uasMode = 'answer';
  const arrived = nextCarrierCall();
  const mark = host.rtp.receivedSamples;
  await host.keys('*');
  await host.hear('dial-enter-number', mark, 10_000);
  // National in the trunk's country (DE): 030 1234 5678.
  await host.keys('03012345678#');
  const far = await arrived;
  t.match(far.invite?.uri ?? '', /^sip:\+493012345678@/, 'the keyed national number was dialled in E.164');
  await waitForPrompt(far.rtp, 'dial-press-1', { timeoutMs: 20_000 });
  await far.rtp.sendDigits('1', 100, 80);
  await api.waitForLegByNumber('+493012345678', 'joined');
  await far.bye();
});

t.test('every attempt is audited: who, room, destination, decision, reason, outcome, duration', async (t) => {
  const all = side.dialAttempts.list(side.rooms.get(DEMO.roomId)?.accountId ?? '', { limit: 100 }).items;
  // 1 answered + busy, no answer, declined + 1 cancelled + 3 refused and 2 cancelled + 1 from the keypad.
  t.equal(all.length, 11, 'every dial the policy decided is audited');
  const refused = all.filter((a) => a.decision === 'refused').map((a) => a.reason).sort();
  t.same(refused, ['DIAL_LIMIT_CONCURRENT', 'DIAL_REFUSED_DESTINATION', 'DIAL_REFUSED_NUMBER_TYPE'], 'the refusals with their reasons (a malformed number is not an attempt)');
  const outcomes = new Set(all.filter((a) => a.decision === 'placed').map((a) => a.outcome));
  for (const o of ['answered', 'busy', 'no-answer', 'declined', 'cancelled']) t.ok(outcomes.has(o as never), `an attempt ended ${o}`);
  const answered = all.find((a) => a.outcome === 'answered' && a.actor.kind === 'user');
  t.ok(answered !== undefined && (answered.durationMs ?? 0) > 0, 'an answered one has its duration');
  t.ok(all.some((a) => a.actor.kind === 'leg' && a.actor.id === hostLeg.id), 'the keypad dial names the host leg as who');
  t.ok(all.every((a) => a.roomId === DEMO.roomId), 'each names the room');

  const res = await fetch(`${product.httpBase}/metrics`, { headers: { authorization: `Bearer ${product.operatorKey}` } });
  t.equal(res.status, 200);
  const text = await res.text();
  const counted = (outcome: string): number => Number(new RegExp(`^dialbridge_dial_outs_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 'NaN');
  t.equal(counted('refused'), 3, 'dialbridge_dial_outs_total counts the three refusals');
  for (const o of ['answered', 'busy', 'no-answer', 'declined', 'cancelled', 'rejected', 'trunk-auth', 'failed']) {
    t.equal(counted(o), all.filter((a) => a.outcome === o).length, `and each ended attempt once by its outcome: ${o}`);
  }
});

t.test("click-to-call: the host's phone rings first, then the contact; audio both ways; history for both legs", async (t) => {
  t.setTimeout(60_000);
  carrier.uasMode = 'answer';
  const hostPhone = '+493055501234';
  side.users.update(DEMO_IDS.user, { phoneNumbers: [hostPhone] });
  const contactNumber = '+493055509876';
  const hostRings = nextCarrierCall();
  const created = (await api.request('POST', '/v1/calls', { to: contactNumber })) as { status: number; body: { id: string; state: string; legs: { legId: string; number: string }[] } };
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.equal(created.body.state, 'calling-host');
  const hostCall = await hostRings;
  t.match(hostCall.invite?.uri ?? '', /^sip:\+493055501234@/, "the host's own phone rings first");
  const contactRings = nextCarrierCall();
  await waitForPrompt(hostCall.rtp, 'dial-calling', { timeoutMs: 15_000 });
  const contactCall = await contactRings;
  t.match(contactCall.invite?.uri ?? '', /^sip:\+493055509876@/, 'then the contact');
  const deadline = Date.now() + 15_000;
  let state = '';
  while (state !== 'connected' && Date.now() < deadline) {
    state = ((await api.request('GET', `/v1/calls/${created.body.id}`)).body as { state: string }).state;
    await new Promise((r) => setTimeout(r, 200));
  }
  t.equal(state, 'connected');
  hostCall.rtp.setSource(toneSource(HOST_HZ, 8000));
  contactCall.rtp.setSource(toneSource(GUEST_HZ, 8000));
  t.ok((await levelOf(hostCall.rtp, GUEST_HZ)) > HEARD, 'the host hears the contact');
  t.ok((await levelOf(contactCall.rtp, HOST_HZ)) > HEARD, 'the contact hears the host');
  await contactCall.bye();
  await hostCall.byeReceived;
  t.pass('the contact hanging up ends the host side too');
  for (const leg of created.body.legs) {
    const states = side.legs.history(leg.legId).map((e) => JSON.stringify(e));
    t.ok(states.some((s) => s.includes('joined')) && states.some((s) => s.includes('left')), `leg ${leg.number} has its history (joined, left)`);
  }
});

t.test("a trunk that refuses the credentials twice fails the leg and raises the trunk's error count", async (t) => {
  t.setTimeout(40_000);
  carrier.uasMode = 'answer';
  const bad = await operator.request('POST', '/v1/trunks', {
    name: 'Wrong password', accountId: DEMO_IDS.account, outboundUri: `sip:127.0.0.1:${String(carrier.port)}`, username: 'trunkuser', password: 'not-the-password',
  });
  t.equal(bad.status, 201, "the account's own trunk now carries its dials");
  const answer = await dial(guestNumber());
  t.equal(answer.status, 201);
  t.equal(await leftReason(answer.body.id ?? ''), 'trunk-auth');
  const health = (await operator.request('GET', '/v1/trunks/health')).body as { items: { trunkId: string; errors: number; lastError: string }[] };
  const entry = health.items.find((i) => i.trunkId === (bad.body as { id: string }).id);
  t.equal(entry?.errors, 1, 'one fault counted');
  t.equal(entry?.lastError, 'trunk-auth');
  t.notOk(JSON.stringify(health).includes('not-the-password'), 'no credential in the answer');
  await operator.request('DELETE', `/v1/trunks/${(bad.body as { id: string }).id}`);
});
