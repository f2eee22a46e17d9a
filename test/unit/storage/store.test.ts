import Database from 'better-sqlite3';
import t from 'tap';
import { MIGRATIONS } from '../../../src/storage/migrations.ts';
import { grantDelegation } from '../../../src/admin/delegations.ts';
import type { UserProfile } from '../../../src/domain/access.ts';
import { newLeg, setFlag, transition } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import { startConference } from '../../../src/domain/conference.ts';
import { decide } from '../../../src/domain/permissions.ts';
import type { Principal } from '../../../src/domain/principal.ts';
import { toSummary, type PinDigest } from '../../../src/domain/room.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { hashApiKey } from '../../../src/storage/api-key-hash.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';
import { tempStore, TEST_PIN_SECRET } from './temp-store.ts';

const at = new Date('2026-03-01T09:00:00Z');

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not-an-app-error';
  }
  return undefined;
}

/** An account with a host, and the service numbers given assigned to it. */
function accountWithHost(store: Store, numbers: readonly string[] = ['1000']): { accountId: string; host: UserProfile } {
  const acc = store.accounts.create({ name: 'Acme' });
  for (const number of numbers) store.serviceNumbers.create({ number, accountId: acc.id, label: null });
  const host = store.users.create({ accountId: acc.id, name: 'Hana', role: 'host', email: 'hana@acme.example' });
  return { accountId: acc.id, host };
}

t.test('opening a database applies the migrations once, with WAL and foreign keys on', (t) => {
  const { store, path } = tempStore(t);
  store.close();
  const again = openStore(path, TEST_PIN_SECRET);
  again.close();
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  // Every migration the code has, each once (versions may arrive from several branches).
  const versions = MIGRATIONS.map((m) => ({ version: m.version })).sort((x, y) => x.version - y.version);
  t.same(db.prepare('SELECT version FROM migrations ORDER BY version').all(), versions, 'each migration once');
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.end();
});

t.test('foreign keys are enforced', (t) => {
  const { store } = tempStore(t);
  t.throws(() => store.users.create({ accountId: 'no-such-account', name: 'x', role: 'host', email: null }));
  const { accountId, host } = accountWithHost(store);
  const pin = (p: string): PinDigest => ({ hash: store.hashPin(p), length: p.length });
  t.throws(
    () => store.rooms.create({ accountId, ownerUserId: host.id, name: 'R', serviceNumber: '5555', participantPin: pin('1111'), hostPin: pin('9999') }),
    'a room needs a service number that exists',
  );
  t.end();
});

t.test('an API key is stored only as its hash and finds its user', (t) => {
  const { store, path } = tempStore(t);
  const { host: user } = accountWithHost(store);
  const token = 'k'.repeat(20) + 'secret-tail';
  const { prefix, id: keyId } = store.apiKeys.add(user.id, token, 'laptop');
  t.equal(prefix, 'kkkkkkkk');
  t.same(store.apiKeys.resolve(token), { user: store.users.get(user.id), keyId });
  t.equal(store.apiKeys.resolve(token)?.user.id, user.id);
  t.equal(store.apiKeys.resolve('wrong'), null);
  t.equal(store.apiKeys.resolve(''), null);
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  const dump = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
  t.notMatch(dump, /secret-tail/);
  t.match(dump, hashApiKey(token));
  store.apiKeys.revokeAllBut(user.id, null);
  t.equal(store.apiKeys.resolve(token), null, 'a revoked key no longer works');
  t.end();
});

t.test('rooms are visible to their host, the host\'s delegates and admins of the account only', (t) => {
  const { store, path } = tempStore(t);
  const { accountId, host } = accountWithHost(store);
  const other = store.accounts.create({ name: 'Other' });
  const admin = store.users.create({ accountId, name: 'Ada', role: 'admin', email: 'ada@acme.example' });
  const host2 = store.users.create({ accountId, name: 'Hugo', role: 'host', email: 'hugo@acme.example' });
  const del = store.users.create({ accountId, name: 'Dora', role: 'delegate', email: 'dora@acme.example' });
  const del2 = store.users.create({ accountId, name: 'Dirk', role: 'delegate', email: 'dirk@acme.example' });
  const foreignAdmin = store.users.create({ accountId: other.id, name: 'Zed', role: 'admin', email: 'zed@other.example' });
  t.equal(store.delegations.grant(del.id, host.id), true);
  t.equal(store.delegations.grant(del.id, host.id), false, 'granting twice changes nothing');
  t.equal(store.delegations.grant(del2.id, host.id), true, 'a host may have several delegates');
  t.equal(store.delegations.grant(del2.id, host2.id), true, 'a delegate may act for several hosts');
  const pin = (p: string): PinDigest => ({ hash: store.hashPin(p), length: p.length });
  const b = store.rooms.create({ accountId, ownerUserId: host.id, name: 'B room', serviceNumber: '1000', participantPin: pin('1111'), hostPin: pin('9999') });
  const a = store.rooms.create({ accountId, ownerUserId: host.id, name: 'A room', serviceNumber: '1000', participantPin: pin('2222'), hostPin: pin('48151623') });
  const c = store.rooms.create({ accountId, ownerUserId: host2.id, name: 'C room', serviceNumber: '1000', participantPin: pin('3333'), hostPin: pin('7777') });

  // Visibility is decide(user, 'room.read', room) over the account's rooms (as GET /rooms does), with
  // the delegate's hosts read from storage.
  const principal = (u: UserProfile): Principal => ({
    kind: 'user', id: u.id, accountId: u.accountId, role: u.role, actsFor: u.role === 'delegate' ? store.delegations.hostsOf(u.id) : [],
  });
  const visible = (u: UserProfile): string[] =>
    store.rooms
      .ofAccount(u.accountId)
      .filter((r) => decide(principal(u), 'room.read', { kind: 'room', roomId: r.id, accountId: r.accountId, ownerUserId: r.ownerUserId }) === 'allow')
      .map((r) => r.id);
  t.same(visible(admin), [a.id, b.id, c.id], 'admin sees all, by name');
  t.same(visible(host), [a.id, b.id]);
  t.same(visible(del), [a.id, b.id]);
  t.same(visible(del2), [a.id, b.id, c.id], 'a delegate of two hosts sees both hosts\' rooms');
  t.same(visible(host2), [c.id]);
  t.same(visible(foreignAdmin), []);
  t.same(store.rooms.page(accountId, [host.id], { limit: 10 }).items.map((r) => r.id), [a.id, b.id], 'a page limited to some owners');
  t.same(store.delegations.involving(host.id).map((d) => d.delegateUserId).sort(), [del.id, del2.id].sort());
  t.equal(store.delegations.revoke(del2.id, host2.id), true);
  t.same(visible(del2), [a.id, b.id], 'a revoked delegation hides that host\'s rooms');
  t.equal(store.delegations.revoke(del2.id, host2.id), false, 'revoking twice finds nothing');
  // The repository no longer checks roles; the administration use case does.
  const ctx = { store, now: () => at, actor: { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null } } as const;
  t.equal(errorCode(() => { grantDelegation(ctx, accountId, host2.id, host.id); }), 'BAD_REQUEST', 'only a delegate can be delegated');

  t.equal(store.rooms.get(a.id)?.hostPin.hash, store.hashPin('48151623'), 'a room is stored with its PIN digests');
  t.notOk('hostPin' in toSummary(a), 'PINs never leave storage in a room summary');
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.notMatch(JSON.stringify(db.prepare('SELECT * FROM rooms').all()), /48151623/, 'no clear PIN in the database');
  t.end();
});

t.test('PINs are unique per service number', (t) => {
  const { store } = tempStore(t);
  const { accountId, host } = accountWithHost(store, ['1000', '2000']);
  const pin = (p: string): PinDigest => ({ hash: store.hashPin(p), length: p.length });
  const base = { accountId, ownerUserId: host.id, name: 'R' };
  store.rooms.create({ ...base, serviceNumber: '1000', participantPin: pin('1111'), hostPin: pin('9999') });
  // Conflicts are now 409 codes of their own instead of BAD_REQUEST.
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '1000', participantPin: pin('9999'), hostPin: pin('5555') })), 'PIN_IN_USE');
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '1000', participantPin: pin('5555'), hostPin: pin('5555') })), 'PINS_EQUAL');
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '2000', participantPin: pin('1111'), hostPin: pin('9999') })), undefined);
  t.equal(store.rooms.onServiceNumber('1000').length, 1);
  t.end();
});

t.test('legs keep every field and every change in their history', (t) => {
  const { store } = tempStore(t);
  const { accountId, host } = accountWithHost(store);
  const room = store.rooms.create({
    accountId, ownerUserId: host.id, name: 'R', serviceNumber: '1000',
    participantPin: { hash: store.hashPin('1111'), length: 4 }, hostPin: { hash: store.hashPin('9999'), length: 4 },
  });
  const conf = startConference('c1', room.id, at);
  store.conferences.insert(conf);
  const caller = { raw: 'sip:+4930123@x', number: '+4930123', displayName: 'Ann', withheld: true, source: 'p-asserted-identity' as const };
  let leg = newLeg({ id: 'l1', direction: 'inbound', caller, sourceAddress: '192.0.2.1', serviceNumber: '1000', names: NO_NAMES, at });
  store.legs.insert(leg, 'call-1');
  t.same(store.legs.get('l1'), leg, 'read back as written');

  const hostActor = { kind: 'user', id: host.id, role: 'host', via: 'api-key' };
  const step = (r: { leg: typeof leg; change: Parameters<typeof store.legs.save>[1] } | null, actor: Record<string, unknown> | null = null) => {
    if (r === null) throw new Error('no change');
    leg = r.leg;
    store.legs.save(leg, r.change, at, actor);
  };
  step(transition(leg, 'in-ivr', at));
  leg = { ...leg, roomId: room.id, conferenceId: conf.id, role: 'host' };
  step(transition(leg, 'joined', at));
  step(setFlag(leg, 'muted', true, 'host'), hostActor);
  step(transition(leg, 'left', at, 'bye'));

  const back = store.legs.get('l1');
  t.same(back, leg);
  t.equal(back?.caller?.withheld, true, 'the withheld flag is stored');
  t.equal(back?.caller?.number, '+4930123', 'the withheld number itself is kept');
  t.same(store.legs.history('l1').map((e) => [e.kind, e.detail, e.actor]), [
    ['created', { state: 'offered', direction: 'inbound' }, null],
    ['state', { from: 'offered', to: 'in-ivr', reason: null }, null],
    ['state', { from: 'in-ivr', to: 'joined', reason: null }, null],
    ['flag', { flag: 'muted', value: true, by: 'host' }, hostActor],
    ['state', { from: 'joined', to: 'left', reason: 'bye' }, null],
  ], 'each change with who caused it (null: the system)');
  t.same(store.legs.ofConference(conf.id).map((l) => l.id), ['l1']);
  t.end();
});

t.test('PIN attempts are found by service number, number or address within the period', (t) => {
  const { store } = tempStore(t);
  store.pinAttempts.record({ serviceNumber: '1000', cli: '+491', sourceAddress: '10.0.0.1', at: 100, ok: false });
  store.pinAttempts.record({ serviceNumber: '2000', cli: '+491', sourceAddress: '10.0.0.2', at: 200, ok: false });
  store.pinAttempts.record({ serviceNumber: '2000', cli: '+492', sourceAddress: '10.0.0.1', at: 300, ok: true });
  store.pinAttempts.record({ serviceNumber: '2000', cli: '+493', sourceAddress: '10.0.0.3', at: 400, ok: false });
  const subject = { serviceNumber: '1000', cli: '+491', sourceAddress: '10.0.0.1' };
  t.same(store.pinAttempts.relevantTo(subject, 0).map((a) => a.at), [100, 200, 300]);
  t.same(store.pinAttempts.relevantTo(subject, 150).map((a) => a.at), [200, 300]);
  t.equal(store.pinAttempts.prune(250), 2);
  t.end();
});
