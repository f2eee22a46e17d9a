/**
 * PIN_TRIES, PIN_FIRST_DIGIT_TIMEOUT_SECONDS and PIN_DIGIT_TIMEOUT_SECONDS reach the join IVR:
 * with one try and a short wait for the first digit, a caller who keys nothing hears "PIN
 * invalid" and goodbye after the first prompt, is never asked again, and is hung up; with a
 * 1 s wait between digits, a caller who pauses mid-PIN has the digits so far taken as the PIN.
 */
import t from 'tap';
import { byeWithin, Caller } from './support/caller.ts';
import { promptScore } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const product = await startProductServer(t, {
    engine,
    rtpBase: 29200,
    roomSettings: { waitForHost: false },
    env: { PIN_TRIES: '1', PIN_FIRST_DIGIT_TIMEOUT_SECONDS: '1', PIN_DIGIT_TIMEOUT_SECONDS: '1' },
  });

  t.test('one PIN try: a silent caller hears "PIN invalid", goodbye and a BYE, and is asked for the PIN once', async (t) => {
    t.setTimeout(45_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    const enterPin = await caller.hear('enter-pin');
    const invalid = await caller.hear('pin-invalid', enterPin.end);
    t.pass('no digit within the first-digit timeout: "PIN invalid"');
    await caller.hear('goodbye', invalid.end);
    t.ok(await byeWithin(caller.call, 10_000), 'then the server hangs up');
    t.ok(promptScore(caller.rtp, 'enter-pin', enterPin.end) < 0.5, 'the PIN prompt was not played a second time');
  });

  t.test('a pause longer than PIN_DIGIT_TIMEOUT_SECONDS ends the entry: the digits so far are refused', async (t) => {
    t.setTimeout(45_000);
    const caller = await Caller.dial(t, product);
    t.equal(caller.call.status, 200);
    const welcome = await caller.hear('welcome');
    await caller.after(welcome);
    // The host PIN split by a pause well beyond the 1 s setting (and well within the 5 s default).
    await caller.keys(DEMO.hostPin.slice(0, 2));
    await new Promise((r) => setTimeout(r, 2500));
    await caller.keys(`${DEMO.hostPin.slice(2)}#`);
    await caller.hear('pin-invalid', welcome.end);
    t.pass('the first two digits were taken as the PIN and refused');
    t.ok(await byeWithin(caller.call, 15_000), 'one try only: hung up');
    t.ok(promptScore(caller.rtp, 'say-name', welcome.end) < 0.5, 'the caller never got in');
  });
});
