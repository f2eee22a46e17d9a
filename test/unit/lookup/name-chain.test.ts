/**
 * The name chain, table-driven, over real sources: an in-memory store holding registered
 * users and two accounts' contact lists, and a third-party directory served by a real
 * node:http server started here (slow and failing numbers included).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import t from 'tap';
import type { CallerIdentity } from '../../../src/domain/caller-identity.ts';
import { NO_NAMES, resolveLegName, type LegNames } from '../../../src/domain/leg-names.ts';
import { lookupQueryFor } from '../../../src/domain/name-lookup.ts';
import type { ResolvedName } from '../../../src/domain/name-source.ts';
import { createNameLookup, type NameLookup } from '../../../src/lookup/index.ts';
import { openStore } from '../../../src/storage/open-store.ts';

const USER = '+441632960100';
const CONTACT_A = '+441632960200';
const CONTACT_B = '+441632960300';
const DIRECTORY = '+441632960400';
const SLOW = '+441632960500';
const FAILING = '+441632960600';
const OTHER_ACCOUNT_USER = '+441632960700';
const UNKNOWN = '+441632960800';
/** Known to every source, and only ever calls withheld. */
const HIDDEN = '+441632960900';

/** What the directory answers for each number; anything else is 404. */
const directoryBook = new Map<string, string>([
  [DIRECTORY, 'Dora Directory'],
  [USER, 'Directory Ursula'],
  [CONTACT_A, 'Directory Carla'],
  [HIDDEN, 'Directory Hidden'],
]);
const requests: IncomingMessage[] = [];
const directory = createServer((req, res) => {
  requests.push(req);
  const number = decodeURIComponent(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? '');
  if (number === SLOW) return; // Never answers: the finder's timeout must give up.
  if (number === FAILING) {
    res.writeHead(500).end('broken');
    return;
  }
  const name = directoryBook.get(number);
  if (name === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name }));
});
await new Promise<void>((resolve) => directory.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  directory.closeAllConnections();
  directory.close();
});
const port = (directory.address() as AddressInfo).port;

const store = openStore(':memory:', Buffer.alloc(32, 7));
t.teardown(() => {
  store.close();
});
store.accounts.create({ id: 'acct-a', name: 'A' });
store.accounts.create({ id: 'acct-b', name: 'B' });
store.users.create({ accountId: 'acct-a', name: 'Ursula User', role: 'host', email: 'u@a.example', phoneNumbers: [USER] });
store.users.create({ accountId: 'acct-b', name: 'Oscar Other', role: 'host', email: 'o@b.example', phoneNumbers: [OTHER_ACCOUNT_USER] });
const at = new Date('2026-01-05T10:00:00Z');
store.contacts.upsert('acct-a', { number: CONTACT_A, name: 'Carla Contact', company: null }, at);
store.contacts.upsert('acct-a', { number: USER, name: 'Contact Ursula', company: null }, at);
store.contacts.upsert('acct-a', { number: HIDDEN, name: 'Contact Hidden', company: null }, at);
store.users.create({ accountId: 'acct-a', name: 'User Hidden', role: 'host', email: 'h@a.example', phoneNumbers: [HIDDEN] });
store.contacts.upsert('acct-b', { number: CONTACT_B, name: 'Bea of B', company: 'B Ltd' }, at);

const silent = pino({ level: 'silent' });
const lookup = createNameLookup(store, silent, { urlTemplate: `http://127.0.0.1:${port}/lookup?n={number}`, timeoutMs: 200 });

function caller(number: string | null, options: { displayName?: string; withheld?: boolean } = {}): CallerIdentity {
  return { raw: `sip:${number ?? 'anonymous'}@x`, number, displayName: options.displayName ?? null, withheld: options.withheld ?? false, source: 'from' };
}

/** What the runtime does for a leg: look the number up (unless withheld), then resolve the chain. */
async function nameLeg(chain: NameLookup, names: LegNames, who: CallerIdentity | null, accountId: string, scope: string): Promise<ResolvedName> {
  const query = lookupQueryFor(who, accountId, scope);
  const lookedUp = query === null ? null : await chain.lookup(query);
  return resolveLegName({ ...names, lookedUp }, who);
}

interface Row {
  readonly case: string;
  readonly names?: Partial<LegNames>;
  readonly caller: CallerIdentity | null;
  readonly account: 'acct-a' | 'acct-b';
  readonly expected: ResolvedName;
}

const rows: Row[] = [
  { case: 'the host-given name wins over every other', names: { hostAssigned: 'Chair', typed: 'Typed' }, caller: caller(USER, { displayName: 'SIP' }), account: 'acct-a', expected: { name: 'Chair', source: 'host' } },
  { case: 'the caller-entered name comes next', names: { typed: 'Typed Tom' }, caller: caller(USER), account: 'acct-a', expected: { name: 'Typed Tom', source: 'caller' } },
  { case: 'a registered user comes before the contact list and the directory', caller: caller(USER, { displayName: 'SIP' }), account: 'acct-a', expected: { name: 'Ursula User', source: 'user' } },
  { case: 'a registered user of another account still names the caller', caller: caller(OTHER_ACCOUNT_USER), account: 'acct-a', expected: { name: 'Oscar Other', source: 'user' } },
  { case: "the account's contact comes before the directory", caller: caller(CONTACT_A, { displayName: 'SIP' }), account: 'acct-a', expected: { name: 'Carla Contact', source: 'contact' } },
  { case: "another account's contact never names the leg", caller: caller(CONTACT_B, { displayName: 'Bea Display' }), account: 'acct-a', expected: { name: 'Bea Display', source: 'sip-display-name' } },
  { case: "the same number in its own account's conference is the contact", caller: caller(CONTACT_B, { displayName: 'Bea Display' }), account: 'acct-b', expected: { name: 'Bea of B', source: 'contact' } },
  { case: 'the directory names a number nobody else knows', caller: caller(DIRECTORY, { displayName: 'SIP' }), account: 'acct-a', expected: { name: 'Dora Directory', source: 'directory' } },
  { case: 'a directory that times out leaves the leg to the SIP display name', caller: caller(SLOW, { displayName: 'Sam SIP' }), account: 'acct-a', expected: { name: 'Sam SIP', source: 'sip-display-name' } },
  { case: 'a directory that fails leaves the leg to its last digits', caller: caller(FAILING), account: 'acct-a', expected: { name: 'Caller ending 600', source: 'number' } },
  { case: 'an unknown number without a display name shows its last digits', caller: caller(UNKNOWN), account: 'acct-a', expected: { name: 'Caller ending 800', source: 'number' } },
  { case: "a withheld number is never looked up, even when it is the account's contact", caller: caller(CONTACT_A, { displayName: 'Hidden', withheld: true }), account: 'acct-a', expected: { name: 'Withheld number', source: 'withheld' } },
  { case: 'a withheld caller who entered a name is shown by it', names: { typed: 'Wendy' }, caller: caller(USER, { withheld: true }), account: 'acct-a', expected: { name: 'Wendy', source: 'caller' } },
  { case: 'a leg with no caller at all has no name yet', caller: null, account: 'acct-a', expected: { name: null, source: null } },
];

t.test('the name chain, first match wins', async (t) => {
  for (const row of rows) {
    const got = await nameLeg(lookup, { ...NO_NAMES, ...row.names }, row.caller, row.account, `room-${row.account}`);
    t.same(got, row.expected, row.case);
  }
});

t.test('a withheld number is never sent to any source', async (t) => {
  const hidden = caller(HIDDEN, { displayName: 'Hidden Display', withheld: true });
  t.equal(lookupQueryFor(hidden, 'acct-a', 'room-w'), null, 'there is nothing to look up');
  // Every source knows the number: any leak would name the leg.
  t.same(await nameLeg(lookup, NO_NAMES, hidden, 'acct-a', 'room-w'), { name: 'Withheld number', source: 'withheld' });
  const digits = HIDDEN.replace(/\D/g, '');
  t.notOk(requests.some((r) => (r.url ?? '').replace(/\D/g, '').includes(digits)), 'the directory never heard the number, in this file');
});

t.test('the directory is sent the number and nothing else', async (t) => {
  const before = requests.length;
  await nameLeg(lookup, NO_NAMES, caller(DIRECTORY, { displayName: 'Private Display' }), 'acct-a', 'room-only-number');
  const req = requests[before];
  t.ok(req !== undefined, 'one request');
  t.equal(req?.method, 'GET');
  t.equal(req?.url, `/lookup?n=${encodeURIComponent(DIRECTORY)}`, 'the URL holds only the number');
  t.notOk(req?.headers.cookie, 'no cookie');
  t.notOk(req?.headers.authorization, 'no credentials');
  t.notMatch(JSON.stringify(req?.headers), /acct-a|room-only-number|Private Display/, 'no account, room or caller details in the headers');
});

t.test("the directory's answers are cached for the conference only", async (t) => {
  const count = (): number => requests.filter((r) => r.url === `/lookup?n=${encodeURIComponent(DIRECTORY)}`).length;
  const start = count();
  await nameLeg(lookup, NO_NAMES, caller(DIRECTORY), 'acct-a', 'room-cache');
  await nameLeg(lookup, NO_NAMES, caller(DIRECTORY), 'acct-a', 'room-cache');
  t.equal(count(), start + 1, 'asked once while the conference runs');
  await nameLeg(lookup, NO_NAMES, caller(DIRECTORY), 'acct-a', 'room-elsewhere');
  t.equal(count(), start + 2, 'another conference asks again');
  lookup.endScope('room-cache');
  const again = await nameLeg(lookup, NO_NAMES, caller(DIRECTORY), 'acct-a', 'room-cache');
  t.equal(count(), start + 3, 'the next conference of the room asks again');
  t.same(again, { name: 'Dora Directory', source: 'directory' });
});

t.test('without a directory configured, nothing is asked over HTTP', async (t) => {
  const before = requests.length;
  const local = createNameLookup(store, silent);
  t.same(await nameLeg(local, NO_NAMES, caller(DIRECTORY, { displayName: 'SIP' }), 'acct-a', 'room-x'), { name: 'SIP', source: 'sip-display-name' });
  t.equal(requests.length, before);
});
