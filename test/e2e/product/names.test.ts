/**
 * Names end to end, from a clean start: two customers set up through the API, one with a
 * contact list; a third-party directory served by a real node:http server started here;
 * real SIP/RTP callers. A contact is named as such only in its own account's rooms, a
 * registered user by their profile, the directory for numbers only it knows, a withheld
 * caller by nothing that reveals them — and a directory that never answers delays nobody.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { startProductServer } from './support/product-server.ts';

const CONTACT = '+442079460301';
const USER = '+442079460302';
const LISTED = '+442079460303';
const SLOW = '+442079460304';
const HIDDEN = '+442079460305';

// The directory: names LISTED (and HIDDEN, which must never be asked), never answers for SLOW.
const asked: string[] = [];
const directory = createServer((req, res) => {
  const number = new URL(req.url ?? '/', 'http://x').searchParams.get('number') ?? '';
  asked.push(number);
  if (number === SLOW) return;
  const name = number === LISTED ? 'Dora Directory' : number === HIDDEN ? 'Leaked Name' : undefined;
  if (name === undefined) res.writeHead(404).end();
  else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name }));
});
await new Promise<void>((resolve) => directory.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  directory.closeAllConnections();
  directory.close();
});

const product = await startProductServer(t, {
  rtpBase: 31400,
  env: { NAME_DIRECTORY_URL: `http://127.0.0.1:${(directory.address() as AddressInfo).port}/who?number={number}`, NAME_DIRECTORY_TIMEOUT_MS: '1000' },
});
const operator = new Api({ httpBase: product.httpBase, apiKey: product.operatorKey }, '');

/** One customer, made as an operator and its admin would: account, number, host, room. */
async function customer(name: string, serviceNumber: string, pin: string): Promise<{ admin: Api; room: Api; accountId: string }> {
  const made = await operator.request('POST', '/v1/accounts', { name, admin: { name: `${name} Admin`, email: `admin@${name.toLowerCase()}.example` } });
  const body = made.body as { account: { id: string }; apiKey: { key: string } };
  await operator.request('POST', '/v1/service-numbers', { number: serviceNumber, accountId: body.account.id, label: name });
  const admin = new Api({ httpBase: product.httpBase, apiKey: body.apiKey.key }, '');
  const room = await admin.request('POST', '/v1/rooms', {
    name: `${name} room`,
    serviceNumber,
    participantPin: pin,
    hostPin: `9${pin}`,
    settings: { waitForHost: false, entryExitTones: false, announceNames: false },
  });
  if (room.status !== 201) throw new Error(`room: ${room.status} ${JSON.stringify(room.body)}`);
  return { admin, room: new Api({ httpBase: product.httpBase, apiKey: body.apiKey.key }, (room.body as { room: { id: string } }).room.id), accountId: body.account.id };
}

const globex = await customer('Globex', '3000', '424242');
const initech = await customer('Initech', '3100', '515151');
const contact = await globex.admin.request('POST', '/v1/contacts', { number: '+44 20 7946 0301', name: 'Carla Contact' });
if (contact.status !== 201) throw new Error(`contact: ${contact.status} ${JSON.stringify(contact.body)}`);
const user = await globex.admin.request('POST', '/v1/users', { name: 'Uma User', email: 'uma@globex.example', role: 'host', phoneNumbers: [USER] });
if (user.status !== 201) throw new Error(`user: ${user.status} ${JSON.stringify(user.body)}`);

/** Dials a room, keys its PIN, skips the name; returns the leg once it has joined. */
async function join(t: Test, to: string, pin: string, room: Api, options: { from: string; fromDisplayName?: string; headers?: [string, string][] }): Promise<{ caller: Caller; leg: LiveLegBody }> {
  const caller = await Caller.dial(t, product, { to, ...options });
  if (caller.call.status !== 200) throw new Error(`INVITE answered ${caller.call.status}`);
  await caller.enterPinAfterWelcome(pin);
  await caller.skipName();
  const leg = await room.waitForLive((c) => c?.legs.find((l) => l.state === 'joined' && !seen.has(l.id)), 15_000, `a new leg from ${options.from} joined`);
  seen.add(leg.id);
  return { caller, leg };
}
const seen = new Set<string>();

t.test("a caller in the account's contacts is shown by that name, with nameSource contact", async (t) => {
  t.setTimeout(60_000);
  const stream = await globex.room.stream();
  t.teardown(() => {
    stream.close();
  });
  const { caller, leg } = await join(t, '3000', '424242', globex.room, { from: CONTACT, fromDisplayName: 'SIP Carla' });
  const named = await globex.room.waitForLive((c) => c?.legs.find((l) => l.id === leg.id && l.nameSource === 'contact'), 10_000, 'the contact name');
  t.equal(named.name, 'Carla Contact');
  await stream.waitFor((event, data) => event === 'leg-updated' && (data as { leg: LiveLegBody }).leg.nameSource === 'contact', 5_000, 'the name in the event stream');
  t.pass('the event stream carries the contact name');
  await caller.hangup();
});

t.test("the same number calling another account's room is not named from that contact list", async (t) => {
  t.setTimeout(60_000);
  const { caller, leg } = await join(t, '3100', '515151', initech.room, { from: CONTACT, fromDisplayName: 'SIP Carla' });
  t.equal(leg.name, 'SIP Carla', 'the SIP display name, not the other account\'s contact');
  t.equal(leg.nameSource, 'sip-display-name');
  const later = await initech.room.live();
  t.notMatch(JSON.stringify(later), /Carla Contact/, 'the contact name appears nowhere in the other account\'s live status');
  await caller.hangup();
});

t.test('a registered user is named from their profile; a directory names what only it knows', async (t) => {
  t.setTimeout(60_000);
  const first = await join(t, '3000', '424242', globex.room, { from: USER });
  const named = await globex.room.waitForLive((c) => c?.legs.find((l) => l.id === first.leg.id && l.nameSource === 'user'), 10_000, 'the user name');
  t.equal(named.name, 'Uma User');
  const second = await join(t, '3000', '424242', globex.room, { from: LISTED });
  const listed = await globex.room.waitForLive((c) => c?.legs.find((l) => l.id === second.leg.id && l.nameSource === 'directory'), 10_000, 'the directory name');
  t.equal(listed.name, 'Dora Directory');
  t.ok(asked.includes(LISTED), 'the directory was asked for the number');
  t.notOk(asked.includes(USER), 'nor for a number a registered user already named');
  await first.caller.hangup();
  await second.caller.hangup();
});

t.test('a directory that never answers does not hold the caller up; the next source names them', async (t) => {
  t.setTimeout(60_000);
  const { caller, leg } = await join(t, '3000', '424242', globex.room, { from: SLOW, fromDisplayName: 'Sam Slow' });
  t.equal(leg.state, 'joined', 'joined, although the directory never answered');
  t.equal(leg.name, 'Sam Slow');
  t.equal(leg.nameSource, 'sip-display-name');
  t.ok(asked.includes(SLOW), 'the directory was asked');
  await caller.hangup();
});

t.test('a withheld number is never looked up, even when every source would know it', async (t) => {
  t.setTimeout(60_000);
  await globex.admin.request('POST', '/v1/contacts', { number: HIDDEN, name: 'Hidden Contact' });
  const { caller, leg } = await join(t, '3000', '424242', globex.room, {
    from: HIDDEN,
    fromDisplayName: 'Hidden Person',
    headers: [
      ['P-Asserted-Identity', `"Hidden Person" <sip:${HIDDEN}@127.0.0.1;user=phone>`],
      ['Privacy', 'id'],
    ],
  });
  t.equal(leg.name, 'Withheld number');
  t.equal(leg.nameSource, 'withheld');
  t.equal(leg.number, null);
  t.notOk(asked.includes(HIDDEN), 'the directory never heard the number');
  t.notMatch(JSON.stringify(await globex.room.live()), /Hidden|0305/, 'neither the contact name nor the digits show');
  await caller.hangup();
});
