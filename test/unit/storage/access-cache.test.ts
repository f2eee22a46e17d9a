import t from 'tap';
import { Authenticator } from '../../../src/admin/authenticator.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';
import { TEST_PIN_SECRET, tempStore } from './temp-store.ts';

const TOKEN = 'access-cache-test-key-0123456789abcdef';

function seed(store: Store): { userId: string; keyId: string; roomId: string; accountId: string } {
  const account = store.accounts.create({ name: 'Acme' });
  const user = store.users.create({ accountId: account.id, name: 'Hana', role: 'host', email: null });
  const key = store.apiKeys.add(user.id, TOKEN, 'laptop');
  store.serviceNumbers.create({ number: '1000', accountId: account.id, label: 'main' });
  const room = store.rooms.create({
    accountId: account.id,
    ownerUserId: user.id,
    name: 'Weekly',
    serviceNumber: '1000',
    participantPin: { hash: store.hashPin('1111'), length: 4 },
    hostPin: { hash: store.hashPin('2222'), length: 4 },
  });
  return { userId: user.id, keyId: key.id, roomId: room.id, accountId: account.id };
}

t.test('an API key resolves from memory until it is revoked, and not a request longer', async (t) => {
  const { store } = tempStore(t);
  const ids = seed(store);
  const auth = new Authenticator(store, 'operator-key-for-the-test-0123456789');
  const first = auth.bearer(TOKEN);
  t.equal(first?.credential.id, ids.keyId);
  t.equal(auth.bearer(TOKEN), first, 'the second request is answered from memory (the same object)');
  store.apiKeys.revoke(ids.keyId);
  t.equal(auth.bearer(TOKEN), null, 'revoked: refused at once');
});

t.test('a suspended account or a changed role is seen on the next request', async (t) => {
  const { store } = tempStore(t);
  const ids = seed(store);
  const auth = new Authenticator(store, 'operator-key-for-the-test-0123456789');
  t.equal(auth.bearer(TOKEN)?.principal.kind, 'user');
  store.users.setRole(ids.userId, 'admin');
  const principal = auth.bearer(TOKEN)?.principal;
  t.equal(principal?.kind === 'user' ? principal.role : null, 'admin');
  store.accounts.setStatus(ids.accountId, 'suspended');
  t.equal(auth.bearer(TOKEN), null);
});

t.test('a change made through another connection to the same database is seen too', async (t) => {
  const { store, path } = tempStore(t);
  const ids = seed(store);
  const auth = new Authenticator(store, 'operator-key-for-the-test-0123456789');
  t.ok(auth.bearer(TOKEN));
  t.equal(store.rooms.get(ids.roomId)?.name, 'Weekly');
  t.equal(store.rooms.onServiceNumber('1000').length, 1);
  const other = openStore(path, TEST_PIN_SECRET);
  t.teardown(() => {
    other.close();
  });
  other.rooms.update(ids.roomId, { name: 'Renamed elsewhere' });
  t.equal(store.rooms.get(ids.roomId)?.name, 'Renamed elsewhere', 'room from memory forgotten after a foreign commit');
  other.apiKeys.revoke(ids.keyId);
  t.equal(auth.bearer(TOKEN), null, 'key revoked by another process');
});

t.test('rooms come from memory and follow every change, also rolled-back ones', async (t) => {
  const { store } = tempStore(t);
  const ids = seed(store);
  const room = store.rooms.get(ids.roomId);
  t.equal(store.rooms.get(ids.roomId), room, 'the same object: from memory');
  store.rooms.updateSettings(ids.roomId, { maxMembers: 7 });
  t.equal(store.rooms.get(ids.roomId)?.settings.maxMembers, 7);
  t.throws(() =>
    store.transaction(() => {
      store.rooms.updateSettings(ids.roomId, { maxMembers: 9 });
      t.equal(store.rooms.get(ids.roomId)?.settings.maxMembers, 9, 'seen inside the transaction');
      throw new Error('roll back');
    }),
  );
  t.equal(store.rooms.get(ids.roomId)?.settings.maxMembers, 7, 'the rolled-back value is not kept');
  const list = store.rooms.onServiceNumber('1000');
  list.pop();
  t.equal(store.rooms.onServiceNumber('1000').length, 1, 'callers get their own array');
  store.accounts.setStatus(ids.accountId, 'suspended');
  t.same(store.rooms.onServiceNumber('1000'), [], "a suspended account's rooms are unreachable at once");
  store.rooms.remove(ids.roomId);
  t.equal(store.rooms.get(ids.roomId), null);
});
