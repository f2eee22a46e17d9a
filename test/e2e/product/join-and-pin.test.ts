/**
 * Dial-in end to end: real SIP/RTP calls over 127.0.0.1 into the whole server, walking the
 * join IVR by ear (prompts recognised by cross-correlation against the shipped WAVs).
 */
import t from 'tap';
import { Api } from './support/api.ts';
import { byeWithin, Caller } from './support/caller.ts';
import { promptScore } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  // The demo room waits for its host by default; these tests are about the door, not waiting.
  const product = await startProductServer(t, { engine, rtpBase: 28000, roomSettings: { waitForHost: false } });
  const api = new Api(product);
  t.jobs = 4;

  t.test('a caller who keys the participant PIN joins and the live view shows the leg joined as a participant', async (t) => {
    t.setTimeout(45_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200, 'the INVITE is answered 200');
    await caller.enterPinAfterWelcome(DEMO.participantPin);
    await caller.skipName();
    const leg = await api.waitForLegByNumber(caller.number, 'joined');
    t.equal(leg.role, 'participant');
    t.equal(leg.numberWithheld, false);
    t.equal(leg.direction, 'inbound');
    t.type(leg.joinedAt, 'string', 'the join time is shown');
  });

  t.test('a caller who keys the host PIN joins as host', async (t) => {
    t.setTimeout(45_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    await caller.enterPinAfterWelcome(DEMO.hostPin);
    await caller.skipName();
    const leg = await api.waitForLegByNumber(caller.number, 'joined');
    t.equal(leg.role, 'host');
  });

  t.test('three wrong PINs are each answered "PIN invalid", then goodbye and a BYE', async (t) => {
    t.setTimeout(60_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    await caller.enterPinAfterWelcome('1111');
    let heard = await caller.hear('pin-invalid');
    t.pass('first wrong PIN: "PIN invalid"');
    await caller.after(heard);
    await caller.keys('2222#');
    heard = await caller.hear('pin-invalid', heard.end);
    t.pass('second wrong PIN: "PIN invalid"');
    await caller.after(heard);
    await caller.keys('3333#');
    heard = await caller.hear('pin-invalid', heard.end);
    t.pass('third wrong PIN: "PIN invalid"');
    await caller.hear('goodbye', heard.end);
    t.pass('then goodbye');
    t.ok(await byeWithin(caller.call, 10_000), 'the server hangs up with a BYE');
    t.ok(promptScore(caller.rtp, 'say-name') < 0.5, 'the caller never got as far as the name prompt');
    const view = await api.live();
    t.notOk(view?.legs.some((l) => l.number === caller.number), 'the refused caller is not in the live view');
  });

  t.test('a PIN keyed as SIP INFO digits (application/dtmf-relay) opens the room too', async (t) => {
    t.setTimeout(45_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    const welcome = await caller.hear('welcome');
    await caller.after(welcome);
    for (const digit of `${DEMO.participantPin}#`) t.equal(await caller.call.info(digit), 200, `INFO ${digit} is answered 200`);
    await caller.skipName(welcome.end);
    const leg = await api.waitForLegByNumber(caller.number, 'joined');
    t.equal(leg.role, 'participant');
  });

  t.test('a call to a number with no room is refused 404 and never answered', async (t) => {
    t.setTimeout(15_000);
    const caller = await Caller.dial(t, product, { to: '5555' });
    t.equal(caller.call.status, 404);
  });
});
