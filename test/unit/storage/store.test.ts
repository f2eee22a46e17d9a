import Database from 'better-sqlite3';
import t from 'tap';
import { newLeg, setFlag, transition } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import { startConference } from '../../../src/domain/conference.ts';
import { isAppError } from '../../../src/lib/errors.ts';
import { hashApiKey } from '../../../src/storage/api-key-hash.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { tempStore } from './temp-store.ts';

const at = new Date('2026-03-01T09:00:00Z');

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not-an-app-error';
  }
  return undefined;
}

t.test('opening a database applies the migrations once, with WAL and foreign keys on', (t) => {
  const { store, path } = tempStore(t);
  store.close();
  const again = openStore(path);
  again.close();
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT version FROM migrations').all(), [{ version: 1 }, { version: 2 }]);
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.end();
});

t.test('foreign keys are enforced', (t) => {
  const { store } = tempStore(t);
  t.throws(() => store.users.createUser({ accountId: 'no-such-account', name: 'x', role: 'host' }));
  t.end();
});

t.test('an API key is stored only as its hash and finds its user', (t) => {
  const { store, path } = tempStore(t);
  const acc = store.users.createAccount({ name: 'Acme' });
  const user = store.users.createUser({ accountId: acc.id, name: 'Hana', role: 'host' });
  const token = 'k'.repeat(20) + 'secret-tail';
  const { prefix } = store.users.addApiKey(user.id, token);
  t.equal(prefix, 'kkkkkkkk');
  t.same(store.userForApiKey(token), user);
  t.equal(store.userForApiKey('wrong'), null);
  t.equal(store.userForApiKey(''), null);
  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  const dump = JSON.stringify(db.prepare('SELECT * FROM api_keys').all());
  t.notMatch(dump, /secret-tail/);
  t.match(dump, hashApiKey(token));
  store.users.revokeApiKeys(user.id, null);
  t.equal(store.userForApiKey(token), null, 'a revoked key no longer works');
  t.end();
});

t.test('rooms are visible to their host, the host\'s delegate and admins of the account only', (t) => {
  const { store } = tempStore(t);
  const acc = store.users.createAccount({ name: 'Acme' });
  const other = store.users.createAccount({ name: 'Other' });
  const admin = store.users.createUser({ accountId: acc.id, name: 'Ada', role: 'admin' });
  const host = store.users.createUser({ accountId: acc.id, name: 'Hana', role: 'host' });
  const host2 = store.users.createUser({ accountId: acc.id, name: 'Hugo', role: 'host' });
  const del = store.users.createUser({ accountId: acc.id, name: 'Dora', role: 'delegate' });
  const foreignAdmin = store.users.createUser({ accountId: other.id, name: 'Zed', role: 'admin' });
  store.users.setDelegate(del.id, host.id);
  const b = store.rooms.create({ accountId: acc.id, ownerUserId: host.id, name: 'B room', serviceNumber: '1000', participantPin: '1111', hostPin: '9999' });
  const a = store.rooms.create({ accountId: acc.id, ownerUserId: host.id, name: 'A room', serviceNumber: '1000', participantPin: '2222', hostPin: '8888' });
  const c = store.rooms.create({ accountId: acc.id, ownerUserId: host2.id, name: 'C room', serviceNumber: '1000', participantPin: '3333', hostPin: '7777' });

  t.same(store.roomsVisibleTo(admin).map((r) => r.id), [a.id, b.id, c.id], 'admin sees all, by name');
  t.same(store.roomsVisibleTo(host).map((r) => r.id), [a.id, b.id]);
  t.same(store.roomsVisibleTo(del).map((r) => r.id), [a.id, b.id]);
  t.same(store.roomsVisibleTo(host2).map((r) => r.id), [c.id]);
  t.same(store.roomsVisibleTo(foreignAdmin), []);
  t.equal(store.roomVisibleTo(host2, a.id), null);
  t.equal(store.roomVisibleTo(host, 'nope'), null);
  const summary = store.roomVisibleTo(del, a.id);
  t.equal(summary?.name, 'A room');
  t.notOk(summary !== null && 'hostPin' in summary, 'PINs never leave storage through the directory');
  t.equal(errorCode(() => { store.users.setDelegate(host2.id, host.id); }), 'BAD_REQUEST', 'only a delegate can be delegated');
  t.end();
});

t.test('PINs are unique per service number', (t) => {
  const { store } = tempStore(t);
  const acc = store.users.createAccount({ name: 'Acme' });
  const host = store.users.createUser({ accountId: acc.id, name: 'Hana', role: 'host' });
  const base = { accountId: acc.id, ownerUserId: host.id, name: 'R' };
  store.rooms.create({ ...base, serviceNumber: '1000', participantPin: '1111', hostPin: '9999' });
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '1000', participantPin: '9999', hostPin: '5555' })), 'BAD_REQUEST');
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '1000', participantPin: '5555', hostPin: '5555' })), 'BAD_REQUEST');
  t.equal(errorCode(() => store.rooms.create({ ...base, serviceNumber: '2000', participantPin: '1111', hostPin: '9999' })), undefined);
  t.equal(store.rooms.onServiceNumber('1000').length, 1);
  t.end();
});

t.test('legs keep every field and every change in their history', (t) => {
  const { store } = tempStore(t);
  const acc = store.users.createAccount({ name: 'Acme' });
  const host = store.users.createUser({ accountId: acc.id, name: 'Hana', role: 'host' });
  const room = store.rooms.create({ accountId: acc.id, ownerUserId: host.id, name: 'R', serviceNumber: '1000', participantPin: '1111', hostPin: '9999' });
  const conf = startConference('c1', room.id, at);
  store.conferences.insert(conf);
  const caller = { raw: 'sip:+4930123@x', number: '+4930123', displayName: 'Ann', withheld: true, source: 'p-asserted-identity' as const };
  let leg = newLeg({ id: 'l1', direction: 'inbound', caller, sourceAddress: '192.0.2.1', serviceNumber: '1000', names: NO_NAMES, at });
  store.legs.insert(leg, 'call-1');
  t.same(store.legs.get('l1'), leg, 'read back as written');

  const step = (r: { leg: typeof leg; change: Parameters<typeof store.legs.save>[1] } | null) => {
    if (r === null) throw new Error('no change');
    leg = r.leg;
    store.legs.save(leg, r.change, at);
  };
  step(transition(leg, 'in-ivr', at));
  leg = { ...leg, roomId: room.id, conferenceId: conf.id, role: 'host' };
  step(transition(leg, 'joined', at));
  step(setFlag(leg, 'muted', true, 'host'));
  step(transition(leg, 'left', at, 'bye'));

  const back = store.legs.get('l1');
  t.same(back, leg);
  t.equal(back?.caller?.withheld, true, 'the withheld flag is stored');
  t.equal(back?.caller?.number, '+4930123', 'the withheld number itself is kept');
  t.same(store.legs.history('l1').map((e) => [e.kind, e.detail]), [
    ['created', { state: 'offered', direction: 'inbound' }],
    ['state', { from: 'offered', to: 'in-ivr', reason: null }],
    ['state', { from: 'in-ivr', to: 'joined', reason: null }],
    ['flag', { flag: 'muted', value: true, by: 'host' }],
    ['state', { from: 'joined', to: 'left', reason: 'bye' }],
  ]);
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
