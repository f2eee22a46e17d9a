/**
 * The cross-call PIN lockout end to end: wrong PINs from one calling number, counted across
 * calls, lock that number out ("temporarily unavailable" before any PIN prompt) while other
 * callers still get in; the lockout is reported on the live event stream with its expiry,
 * and it releases once the lockout period has passed.
 *
 * The server's clock is not injectable through `startServer`, and LOCKOUT_MINUTES is at
 * least 1, so "the period passed" is simulated by ageing the stored PIN attempts by the
 * lockout period (a side connection to the server's SQLite file), not by waiting a minute.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { Api } from './support/api.ts';
import { byeWithin, Caller, freshNumber } from './support/caller.ts';
import { promptScore } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const FAILURES = 3;
  const LOCKOUT_MS = 60_000;

  const product = await startProductServer(t, {
    engine,
    rtpBase: 28400,
    roomSettings: { waitForHost: false },
    env: { LOCKOUT_CALLER_FAILURES: String(FAILURES), LOCKOUT_MINUTES: '1', LOCKOUT_WINDOW_MINUTES: '15' },
  });
  const api = new Api(product);
  const guesser = freshNumber();

  t.test('after K wrong PINs the next call from that number hears "temporarily unavailable" before any PIN prompt, while other callers still get in', async (t) => {
    t.setTimeout(90_000);
    const first = await Caller.dial(t, product, { from: guesser });
    t.equal(first.call.status, 200);
    let heard = await first.enterPinAfterWelcome('1111');
    for (const [i, pin] of ['2222', '3333', null].entries()) {
      heard = await first.hear('pin-invalid', heard.end);
      if (pin === null) break;
      await first.after(heard);
      await first.keys(`${pin}#`);
      t.comment(`wrong PIN ${String(i + 2)} keyed`);
    }
    const lastFailureAt = Date.now();
    t.ok(await byeWithin(first.call, 10_000), `the first call ends with a BYE after ${String(FAILURES)} wrong PINs`);

    const stream = await api.stream();
    t.teardown(() => {
      stream.close();
    });
    await stream.waitFor((event) => event === 'snapshot', 5000, 'the snapshot');

    const [locked, other] = await Promise.all([Caller.dial(t, product, { from: guesser }), Caller.dial(t, product)]);
    t.equal(locked.call.status, 200, 'the locked-out caller is still answered (to be told why)');
    const welcome = await locked.hear('welcome');
    const unavailable = await locked.hear('temporarily-unavailable', welcome.end);
    t.pass('the locked-out caller hears "temporarily unavailable" after the welcome');
    t.ok(promptScore(locked.rtp, 'enter-pin', 0, unavailable.start) < 0.5, 'and no PIN prompt before it');
    t.ok(await byeWithin(locked.call, 15_000), 'then a BYE');
    t.ok(promptScore(locked.rtp, 'enter-pin') < 0.5, 'the locked-out caller was never asked for a PIN');

    const event = (await stream.waitFor((name) => name === 'lockout', 5000, 'a lockout event')) as { scope: string; until: string; roomId: string };
    t.equal(event.scope, 'caller', 'the stream reports a caller lockout');
    t.equal(event.roomId, DEMO.roomId);
    const until = Date.parse(event.until);
    t.ok(Math.abs(until - (lastFailureAt + LOCKOUT_MS)) < 10_000, `it lasts the lockout period from the last failure (until ${event.until})`);
    t.notOk(stream.text.includes(guesser.slice(1)), 'the lockout event does not name the caller');

    await other.enterPinAfterWelcome(DEMO.participantPin);
    await other.hear('say-name');
    t.pass('a caller from another number is not locked out (the participant PIN opens the room)');
  });

  t.test('the lockout releases once the lockout period has passed', async (t) => {
    t.setTimeout(60_000);
    // Age this caller's stored attempts by the lockout period plus a second (see the file comment).
    const db = new Database(join(product.dataDir, 'dialbridge.sqlite'));
    t.teardown(() => db.close());
    const aged = db.prepare('UPDATE pin_attempts SET at = at - ? WHERE cli = ?').run(LOCKOUT_MS + 1000, guesser).changes;
    t.equal(aged, FAILURES, `the ${String(FAILURES)} wrong PINs of the caller are stored`);

    const back = await Caller.dial(t, product, { from: guesser });
    t.equal(back.call.status, 200);
    const welcome = await back.hear('welcome');
    await back.hear('enter-pin', welcome.end);
    t.pass('the caller is asked for the PIN again');
    t.ok(promptScore(back.rtp, 'temporarily-unavailable') < 0.5, 'and is not turned away');
    await back.keys(`${DEMO.participantPin}#`);
    await back.hear('say-name', welcome.end);
    t.pass('the right PIN opens the room');
  });
});
