/**
 * The Live Call Status page in a real browser against the whole product with real calls: a
 * host signs in, opens the console of a room with two callers, sees them by name and the
 * talking indicator follow a tone, mutes, renames, holds, drops and ends from the page —
 * each checked on the SIP/RTP side and in the API — and a guest link shows the call with
 * numbers masked, no controls, and a withheld caller's digits nowhere in its DOM or traffic.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { Api } from './support/api.ts';
import { browserMissing, launchBrowser, SCREENSHOTS } from './support/browser.ts';
import { byeWithin, Caller, freshNumber } from './support/caller.ts';
import { startProductServer } from './support/product-server.ts';
import { levelOf } from './support/tone-level.ts';

const missing = browserMissing();
if (missing !== null) {
  t.plan(0, missing);
} else {
  await run();
}

async function run(): Promise<void> {
  const root = t;
  const product = await startProductServer(t, { rtpBase: 25800 });
  const shot = (name: string): string => fileURLToPath(new URL(name, SCREENSHOTS));
  const SERVICE_NUMBER = '3000';
  const HOST_PIN = '424242';
  const PARTICIPANT_PIN = '131313';
  const PASSWORD = 'the host has a long password';
  const BOB_HZ = 1800;
  const ALICE_HZ = 1250;

  /** A JSON request with a bearer key; fails on an unexpected status. */
  async function expect(status: number, method: string, path: string, key: string, body?: unknown): Promise<ReturnType<typeof JSON.parse>> {
    const res = await fetch(`${product.httpBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== status) throw new Error(`${method} ${path} answered ${String(res.status)}: ${text}`);
    return text === '' ? null : JSON.parse(text);
  }

  // A customer as the operator and its admin set it up through the API.
  const created = await expect(201, 'POST', '/v1/accounts', product.operatorKey, { name: 'Initech', admin: { name: 'Ida Admin', email: 'ida@initech.example' } });
  const adminKey = created.apiKey.key as string;
  await expect(201, 'POST', '/v1/service-numbers', product.operatorKey, { number: SERVICE_NUMBER, accountId: created.account.id, label: 'Initech dial-in' });
  const host = await expect(201, 'POST', '/v1/users', adminKey, { name: 'Hope Host', email: 'hope@initech.example', role: 'host', password: PASSWORD });
  const made = await expect(201, 'POST', '/v1/rooms', adminKey, {
    name: 'Weekly planning',
    ownerUserId: host.id,
    serviceNumber: SERVICE_NUMBER,
    participantPin: PARTICIPANT_PIN,
    hostPin: HOST_PIN,
    settings: { waitForHost: false, entryExitTones: false, announceNames: false },
  });
  const roomId = made.room.id as string;
  const api = new Api({ httpBase: product.httpBase, apiKey: adminKey }, roomId);

  async function join(pin: string, options: Parameters<typeof Caller.dial>[2]): Promise<Caller> {
    const caller = await Caller.dial(t, product, { to: SERVICE_NUMBER, ...options });
    if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
    await caller.enterPinAfterWelcome(pin);
    await caller.skipName();
    return caller;
  }

  const browser = await launchBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);

  t.test('a host signs in and sees their rooms', async (t) => {
    await page.goto(`${product.httpBase}/`);
    await page.getByLabel('Email').fill('hope@initech.example');
    await page.getByLabel('Password').fill('a wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    t.pass('a wrong password is answered with a sentence');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Weekly planning' }).waitFor();
    t.pass('the room is listed after signing in');
    await page.screenshot({ path: shot('rooms.png') });
  });

  // Callers are dialled inside subtests: tap ends the root test (and hangs them up) as soon
  // as no subtest is pending, so no top-level wait may sit between two subtests.
  let alice: Caller | undefined;
  let bob: Caller | undefined;
  const callers = (): { alice: Caller; bob: Caller } => {
    if (alice === undefined || bob === undefined) throw new Error('the callers did not join');
    return { alice, bob };
  };
  t.test('two callers dial in', async (t) => {
    t.setTimeout(60_000);
    alice = await join(HOST_PIN, { fromDisplayName: 'Alice Anders' });
    bob = await join(PARTICIPANT_PIN, { fromDisplayName: 'Bob Brown' });
    t.pass('both keyed their PINs');
  });

  t.test('the console shows both callers by name, live', async (t) => {
    const { bob } = callers();
    await page.goto(`${product.httpBase}/room.html?room=${encodeURIComponent(roomId)}`);
    await page.getByText('Live', { exact: true }).waitFor();
    const aliceRow = page.getByRole('listitem', { name: 'Alice Anders' });
    const bobRow = page.getByRole('listitem', { name: 'Bob Brown' });
    await aliceRow.waitFor();
    await bobRow.waitFor();
    t.match(await aliceRow.innerText(), /Host/, 'Alice is shown as the host');
    t.match(await bobRow.innerText(), new RegExp(bob.number.replace('+', '\\+')), "Bob's number is shown to the host");
    t.match(await bobRow.innerText(), /On the call/, 'Bob is on the call');
    // Reported, not asserted (no timing assertions): the budget is one second.
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    t.comment(`console first contentful paint: ${paint.toFixed(0)} ms`);
  });

  t.test('the talking indicator turns on while a caller sends a tone and off after', async (t) => {
    const { alice } = callers();
    const row = page.locator('li.leg', { has: page.getByText('Alice Anders', { exact: true }) });
    alice.talk(ALICE_HZ);
    await page.locator('li.leg.talking', { hasText: 'Alice Anders' }).waitFor({ timeout: 5000 });
    t.pass('on while Alice sends a tone');
    alice.hush();
    await page.locator('li.leg.talking', { hasText: 'Alice Anders' }).waitFor({ state: 'detached', timeout: 8000 });
    t.notMatch(String(await row.getAttribute('class')), /talking/, 'off after she falls silent');
  });

  t.test('mute from the page: the API shows the leg muted and the other caller no longer hears it', async (t) => {
    const { alice, bob } = callers();
    bob.talk(BOB_HZ);
    t.ok((await levelOf(alice.rtp, BOB_HZ)) > 1500, 'Alice hears Bob before');
    // By keyboard: focus the button and press Enter.
    await page.getByRole('button', { name: 'Mute Bob Brown' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Unmute Bob Brown' }).waitFor();
    t.equal(await page.locator(':focus').getAttribute('aria-label'), 'Unmute Bob Brown', 'the focus stays on the button, now "Unmute"');
    t.match(await page.getByRole('listitem', { name: 'Bob Brown' }).innerText(), /Muted/, 'the page shows Bob muted');
    const leg = await api.waitForLive((c) => c?.legs.find((l) => l.name === 'Bob Brown' && l.muted));
    t.equal(leg.muted, true, 'the API shows Bob muted');
    const level = await levelOf(alice.rtp, BOB_HZ);
    t.ok(level < 120, `Alice no longer hears Bob (level ${level.toFixed(0)})`);
    await page.getByRole('button', { name: 'Unmute Bob Brown' }).click();
    await page.getByRole('button', { name: 'Mute Bob Brown' }).waitFor();
    bob.hush();
  });

  t.test('rename inline: the new name on the page and in the API', async (t) => {
    await page.getByRole('button', { name: 'Rename Bob Brown' }).click();
    const input = page.getByLabel('New name for Bob Brown');
    await input.fill('Robert Brown (Finance)');
    await input.press('Enter');
    await page.getByRole('listitem', { name: 'Robert Brown (Finance)' }).waitFor();
    t.pass('the page shows the new name');
    await api.waitForLive((c) => c?.legs.find((l) => l.name === 'Robert Brown (Finance)'));
    t.pass('the API has it too');
  });

  t.test('hold from the page takes the caller out of the room', async (t) => {
    const { alice, bob } = callers();
    bob.talk(BOB_HZ);
    await page.getByRole('button', { name: 'Hold Robert Brown (Finance)' }).click();
    await page.getByRole('listitem', { name: 'Robert Brown (Finance)' }).filter({ hasText: 'On hold' }).waitFor();
    await api.waitForLive((c) => c?.legs.find((l) => l.name === 'Robert Brown (Finance)' && l.held));
    const level = await levelOf(alice.rtp, BOB_HZ);
    t.ok(level < 120, `Alice does not hear the held caller (level ${level.toFixed(0)})`);
    await page.getByRole('button', { name: 'Take off hold Robert Brown (Finance)' }).click();
    await api.waitForLive((c) => c?.legs.find((l) => l.name === 'Robert Brown (Finance)' && l.state === 'joined'));
    t.pass('and back');
    bob.hush();
  });

  const hidden = freshNumber();
  let withheld: Caller | undefined;
  t.test('a caller with a withheld number dials in', async (t) => {
    t.setTimeout(60_000);
    withheld = await join(PARTICIPANT_PIN, {
      from: hidden,
      fromDisplayName: 'Wanda Withheld',
      headers: [
        ['P-Asserted-Identity', `"Wanda Withheld" <sip:${hidden}@127.0.0.1;user=phone>`],
        ['Privacy', 'id'],
      ],
    });
    t.pass('joined');
  });

  t.test('a guest link shows names and masked numbers, no controls, and no withheld digits', async (t) => {
    const { alice, bob } = callers();
    await page.getByText('Withheld number', { exact: true }).first().waitFor();
    await page.screenshot({ path: shot('console.png'), fullPage: true });
    await page.getByRole('button', { name: 'Make a new guest link' }).click();
    const url = await page.getByRole('textbox', { name: 'Guest link' }).inputValue();
    t.match(url, /\/guest\.html#dbg_/, 'the host gets a guest link');

    const guestContext = await browser.newContext({ viewport: { width: 390, height: 760 } });
    t.teardown(() => guestContext.close());
    const guest = await guestContext.newPage();
    guest.setDefaultTimeout(15_000);
    const traffic: string[] = [];
    const cdp = await guestContext.newCDPSession(guest);
    await cdp.send('Network.enable');
    cdp.on('Network.eventSourceMessageReceived', (message) => traffic.push(`${message.eventName} ${message.data}`));
    guest.on('response', (response) => {
      if (!String(response.headers()['content-type']).includes('text/event-stream')) {
        void response.text().then((text) => traffic.push(text), () => undefined);
      }
    });
    await guest.goto(url);
    await guest.getByRole('listitem', { name: 'Alice Anders' }).waitFor();
    await guest.getByRole('listitem', { name: 'Robert Brown (Finance)' }).waitFor();
    await guest.getByRole('listitem', { name: 'Withheld number' }).waitFor();
    t.pass('the guest sees every caller by name');
    const aliceText = await guest.getByRole('listitem', { name: 'Alice Anders' }).innerText();
    t.match(aliceText, `•••${alice.number.slice(-3)}`, "Alice's number is shown as its last three digits");
    t.equal(await guest.getByRole('button').count(), 0, 'the guest view has no controls');
    bob.talk(BOB_HZ);
    await guest.locator('li.leg.talking', { hasText: 'Robert Brown' }).waitFor({ timeout: 5000 });
    t.pass('the guest sees who is talking');
    bob.hush();
    await guest.screenshot({ path: shot('guest-phone.png'), fullPage: true });
    const dom = await guest.content();
    for (const caller of [alice, bob]) {
      t.notOk(dom.includes(caller.number.slice(-5)), `no more than three digits of ${caller.number} in the guest DOM`);
      t.notOk(traffic.join('\n').includes(caller.number.slice(-5)), `nor in its network traffic`);
    }
    // Five digits (not three): three could occur by chance inside a leg's UUID.
    const hiddenDigits = [hidden.slice(-5), `•••${hidden.slice(-3)}`];
    t.notOk(hiddenDigits.some((d) => dom.includes(d)), "the withheld caller's digits are nowhere in the guest DOM");
    t.ok(traffic.some((x) => x.includes('Withheld number')), 'the traffic was captured (it names the withheld leg)');
    t.notOk(hiddenDigits.some((d) => traffic.join('\n').includes(d)), "nor anywhere in the guest's network traffic");
  });

  t.test('a raised hand (keypad 2) moves the caller to the top of the console', async (t) => {
    if (withheld === undefined) throw new Error('the withheld caller did not join');
    const first = page.locator('li.leg').first();
    t.equal(await first.getAttribute('aria-label'), 'Alice Anders', 'the list starts in order of arrival');
    await withheld.keys('2');
    await page.locator('li.leg:has(.hand:not([hidden]))').waitFor();
    t.equal(await first.getAttribute('aria-label'), 'Withheld number', 'the caller with a raised hand is shown first');
    t.match(await first.innerText(), /Hand raised/, 'with the hand shown');
  });

  t.test('the console in dark mode and on a phone-sized screen', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: shot('console-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot('console-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  t.test('lock from the page: the next caller is refused on the SIP side', async (t) => {
    t.setTimeout(40_000);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.locator('#state-locked').waitFor();
    t.pass('the page shows the room locked');
    const late = await Caller.dial(t, product, { to: SERVICE_NUMBER, fromDisplayName: 'Too Late' });
    const welcome = await late.enterPinAfterWelcome(PARTICIPANT_PIN);
    await late.hear('room-locked', welcome.end);
    t.pass('the late caller hears "the conference is locked"');
    t.ok(await byeWithin(late.call, 15_000), 'and gets a BYE');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('#state-locked').waitFor({ state: 'hidden' });
    t.pass('unlock from the page');
  });

  t.test('drop from the page (with a confirmation) hangs the caller up', async (t) => {
    const { bob } = callers();
    await page.getByRole('button', { name: 'Drop Robert Brown (Finance)', exact: true }).click();
    await page.getByRole('button', { name: 'Drop Robert Brown (Finance) now' }).click();
    t.ok(await byeWithin(bob.call, 10_000), 'Bob gets a BYE');
    await page.getByRole('listitem', { name: 'Robert Brown (Finance)' }).waitFor({ state: 'detached' });
    t.pass('and leaves the page');
  });

  t.test('end from the page hangs everybody up', async (t) => {
    const { alice } = callers();
    await page.getByRole('button', { name: 'End conference' }).click();
    await page.getByRole('button', { name: 'End it now for everyone' }).click();
    t.ok(await byeWithin(alice.call, 10_000), 'Alice gets a BYE');
    t.ok(withheld !== undefined && (await byeWithin(withheld.call, 10_000)), 'so does the withheld caller');
    await page.getByText('No conference running').waitFor();
    t.pass('the page shows no conference running');
  });

  t.test('the page says when it is disconnected and comes back by itself after the server restarts', async (t) => {
    t.setTimeout(90_000);
    await page.getByText('Live', { exact: true }).waitFor();
    await product.close();
    await page.getByText('Disconnected — reconnecting…').waitFor({ timeout: 15_000 });
    t.pass('the page shows that it is disconnected');
    await page.screenshot({ path: shot('console-disconnected.png') });
    // The same data and the same HTTP port (and kept until the whole file ends): the page's origin, session and room stay valid.
    const again = await startProductServer(root, { rtpBase: 25800, dataDir: product.dataDir, env: { HTTP_LISTEN: `127.0.0.1:${new URL(product.httpBase).port}` } });
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    t.pass('it reconnects by itself');
    // Kim stays on, so that Larry's leaving does not end the conference (an empty room ends it).
    const keeper = await Caller.dial(t, again, { to: SERVICE_NUMBER, fromDisplayName: 'Kim Keeper' });
    await keeper.enterPinAfterWelcome(PARTICIPANT_PIN);
    await keeper.skipName();
    await page.getByRole('listitem', { name: 'Kim Keeper' }).waitFor();
    const late = await Caller.dial(t, again, { to: SERVICE_NUMBER, fromDisplayName: 'Larry Late' });
    await late.enterPinAfterWelcome(PARTICIPANT_PIN);
    await late.skipName();
    await page.getByRole('listitem', { name: 'Larry Late' }).waitFor();
    t.pass('and shows the current state: a caller who joined after the restart');
    await page.locator('#announcer', { hasText: 'Larry Late joined the call.' }).waitFor({ state: 'attached' });
    t.pass('the live region announces the join to screen readers');

    // Larry leaves and calls again from the same number: one party, two stays, one gap.
    await late.hangup();
    await page.getByRole('listitem', { name: 'Larry Late' }).waitFor({ state: 'detached' });
    const back = await Caller.dial(t, again, { to: SERVICE_NUMBER, from: late.number, fromDisplayName: 'Larry Late' });
    await back.enterPinAfterWelcome(PARTICIPANT_PIN);
    await back.skipName();
    await page.getByRole('listitem', { name: 'Larry Late' }).waitFor();
    await page.getByRole('button', { name: 'End conference' }).click();
    await page.getByRole('button', { name: 'End it now for everyone' }).click();
    t.ok(await byeWithin(back.call, 10_000), 'ending hangs Larry up');
    t.ok(await byeWithin(keeper.call, 10_000), 'and Kim');
    restarted = true;
  });

  let restarted = false;
  t.test('the history timeline of an ended conference draws one bar row per party with a gap for a rejoin', async (t) => {
    if (!restarted) throw new Error('the conference with the rejoin did not happen');
    const links = page.getByRole('region', { name: 'Past conferences' }).getByRole('link');
    await links.nth(1).waitFor();
    t.equal(await links.count(), 2, 'both ended conferences are listed in the console');
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await links.first().click();
    await page.locator('svg.timeline g.party').first().waitFor().catch(async (err: unknown) => {
      throw new Error(`no timeline at ${page.url()}: ${String(err)}; errors ${problems.join(" | ")}; ${(await page.content()).slice(0, 1500)}`);
    });
    t.equal(await page.locator('svg.timeline g.party').count(), 2, 'one bar row each for Kim and Larry');
    t.equal(await page.locator('svg.timeline rect.stay').count(), 3, "three stays: Kim's, and Larry's two with a gap where he was away");
    t.equal(await page.getByRole('row').count(), 4, 'the participant table has a header and a row per stay');
    await page.screenshot({ path: shot('history.png'), fullPage: true });
    await page.goBack();
    await links.nth(1).click();
    await page.locator('svg.timeline g.party').first().waitFor();
    t.equal(await page.locator('svg.timeline g.party').count(), 3, 'the first conference: Alice, Bob and the withheld caller');
    t.ok((await page.locator('svg.timeline rect.muted').count()) >= 1, "Bob's mute is marked");
    t.ok((await page.locator('svg.timeline rect.held').count()) >= 1, 'so is his hold');
    await page.screenshot({ path: shot('history-first.png'), fullPage: true });
  });
}
