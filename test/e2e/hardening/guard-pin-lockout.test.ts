/**
 * The rotating-number PIN attack end to end, with other loopback addresses as attackers:
 * seven parallel calls from 127.0.0.2–8, each with a fresh calling number, key wrong PINs
 * until the service number locks. Then an unknown caller is slowed and turned away, the host
 * (from a number that joined the room before) is still admitted with the host PIN, anyone
 * gets in while a host is in the room, and the host lifts the lock through the API.
 */
import t, { type Test } from 'tap';
import { Api } from '../product/support/api.ts';
import { byeWithin, Caller, freshNumber } from '../product/support/caller.ts';
import { promptScore } from '../product/support/prompt-listener.ts';
import { DEMO, startProductServer, type ProductServer } from '../product/support/product-server.ts';

// Seven callers walking the IVR in parallel take longer than the default file timeout.
t.setTimeout(300_000);

const ROOM_FAILURES = 20;
const ATTACKERS = 7;
const TRIES = 3;
const MAX_DELAY_SECONDS = 2;

/**
 * One attacker: keys a wrong PIN at every PIN prompt until hung up; returns how many it
 * keyed. It listens for the PIN prompt only (seven callers at once make the test process
 * busy enough), and stops at the BYE.
 */
async function attack(t: Test, product: ProductServer, host: string, wrong: readonly string[]): Promise<number> {
  const caller = await Caller.dial(t, product, { host, from: freshNumber() });
  if (caller.call.status !== 200) return 0;
  let from = 0;
  let keyed = 0;
  const bye = byeWithin(caller.call, 120_000);
  for (const pin of wrong) {
    const next = await Promise.race([caller.hear('enter-pin', from, 60_000).catch(() => null), bye.then(() => null)]);
    if (next === null) break;
    await caller.after(next);
    await caller.keys(`${pin}#`);
    keyed += 1;
    from = next.end;
  }
  await bye;
  return keyed;
}

t.test('a rotating-number PIN attack locks the number for strangers, never for the host', async (root) => {
  const t = root;
  t.setTimeout(240_000);
  const product = await startProductServer(t, {
    rtpBase: 33200,
    roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
    env: { LOCKOUT_ROOM_FAILURES: String(ROOM_FAILURES), LOCKOUT_MAX_DELAY_SECONDS: String(MAX_DELAY_SECONDS), PIN_TRIES: String(TRIES) },
  });
  const api = new Api(product);
  const stream = await api.stream();
  t.teardown(() => {
    stream.close();
  });
  const hostNumber = freshNumber();

  t.test('the host has joined the room before (and left)', async (t) => {
    const host = await Caller.dial(t, product, { from: hostNumber });
    await host.enterPinAfterWelcome(DEMO.hostPin);
    await host.skipName();
    await api.waitForLegByNumber(hostNumber, 'joined');
    await host.hangup();
    await api.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the conference ended');
    t.pass('the host joined once');
  });

  t.test(`${String(ATTACKERS)} parallel callers from 127.0.0.2–${String(1 + ATTACKERS)} with rotating numbers lock the service number`, async (t) => {
    const wrong = (i: number): string[] => Array.from({ length: TRIES }, (_, k) => String(5000 + i * 10 + k));
    const keyed = await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => attack(t, product, `127.0.0.${String(i + 2)}`, wrong(i))));
    const total = keyed.reduce((a, b) => a + b, 0);
    t.ok(total >= ROOM_FAILURES, `${String(total)} wrong PINs keyed before the lock`);
    const view = await api.request('GET', `/v1/rooms/${DEMO.roomId}/pin-lockout`);
    t.equal(view.status, 200);
    t.match(view.body, { serviceNumber: DEMO.serviceNumber, locked: true, limit: ROOM_FAILURES }, 'the API shows the service number locked');
    t.ok((view.body as { failures: number }).failures >= ROOM_FAILURES, 'with the wrong PINs counted');
    const event = (await stream.waitFor((name, data) => name === 'lockout' && (data as { scope: string }).scope === 'room', 5000, 'a room lockout event')) as { until: string };
    t.ok(Date.parse(event.until) > Date.now(), 'the stream announced the lock with its end');
  });

  t.test('an unknown caller is slowed, then turned away without a PIN prompt', async (t) => {
    const stranger = await Caller.dial(t, product, { host: '127.0.0.20' });
    t.equal(stranger.call.status, 200);
    const welcome = await stranger.hear('welcome');
    const away = await stranger.hear('temporarily-unavailable', welcome.end, 25_000);
    const waitedMs = ((away.start - welcome.end) * 1000) / 8000;
    t.ok(waitedMs >= (MAX_DELAY_SECONDS - 0.5) * 1000, `held in silence first (${String(Math.round(waitedMs))} ms of audio between the welcome and the refusal)`);
    t.ok(promptScore(stranger.rtp, 'enter-pin') < 0.5, 'never asked for a PIN');
    t.ok(await byeWithin(stranger.call, 15_000), 'then hung up');
  });

  const host: { caller?: Caller } = {};
  t.test('the host, from the number that joined before, is asked for the PIN and admitted with the host PIN', async (t) => {
    const caller = await Caller.dial(root, product, { from: hostNumber });
    host.caller = caller;
    const welcome = await caller.hear('welcome');
    const prompt = await caller.hear('enter-pin', welcome.end, 20_000);
    await caller.after(prompt);
    await caller.keys(`${DEMO.hostPin}#`);
    await caller.skipName(prompt.end);
    const leg = await api.waitForLegByNumber(hostNumber, 'joined');
    t.equal(leg.role, 'host', 'the host is in the room');
    t.ok(promptScore(caller.rtp, 'temporarily-unavailable') < 0.5, 'and was never turned away');
  });

  t.test('while the host is in the room, an unknown caller gets in', async (t) => {
    const guest = await Caller.dial(t, product, { host: '127.0.0.21' });
    await guest.enterPinAfterWelcome(DEMO.participantPin);
    await guest.skipName();
    await api.waitForLegByNumber(guest.number, 'joined');
    t.pass('the participant PIN opens the room');
    await guest.hangup();
  });

  t.test('the host lifts the lock through the API; it is announced and strangers are asked for the PIN again', async (t) => {
    const lifted = await api.request('DELETE', `/v1/rooms/${DEMO.roomId}/pin-lockout`);
    t.equal(lifted.status, 200);
    t.match(lifted.body, { locked: false, until: null, failures: 0 }, 'the lock is gone');
    t.ok((lifted.body as { forgiven: number }).forgiven >= ROOM_FAILURES, 'the wrong PINs were forgiven');
    await stream.waitFor((name) => name === 'lockout-lifted', 5000, 'a lockout-lifted event');
    t.pass('the stream announced it');
    await host.caller?.hangup();
    await api.waitForLive((c) => (c === null ? true : undefined), 15_000, 'the conference ended');
    const stranger = await Caller.dial(t, product, { host: '127.0.0.22' });
    const welcome = await stranger.hear('welcome');
    await stranger.hear('enter-pin', welcome.end);
    t.pass('a stranger is asked for the PIN');
  });
});
