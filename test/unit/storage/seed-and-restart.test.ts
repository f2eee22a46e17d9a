import t from 'tap';
import { newLeg, transition } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import { startConference } from '../../../src/domain/conference.ts';
import { decide } from '../../../src/domain/permissions.ts';
import { closeInterruptedConferences, DEMO_EMAIL, seedDemo } from '../../../src/storage/index.ts';
import { tempStore } from './temp-store.ts';

const seed = { serviceNumber: '1000', participantPin: '1234', hostPin: '9876', apiKey: 'demo-key-0123456789abcdefghij' };

t.test('seeding the demo makes an admin host with the key and one room, and is idempotent', (t) => {
  const { store } = tempStore(t);
  const first = seedDemo(store, seed);
  const second = seedDemo(store, seed);
  t.same(second, first);
  const user = store.apiKeys.resolve(seed.apiKey)?.user;
  t.equal(user?.role, 'admin');
  t.equal(user?.id, first.userId);
  t.equal(store.users.profile(first.userId)?.email, DEMO_EMAIL, 'the demo host can be found by email');
  t.equal(store.serviceNumbers.get('1000')?.accountId, first.accountId, 'the service number belongs to the demo account');
  const principal = { kind: 'user', id: first.userId, accountId: first.accountId, role: 'admin', actsFor: [] } as const;
  const visible = store.rooms
    .ofAccount(first.accountId)
    .filter((r) => decide(principal, 'room.read', { kind: 'room', roomId: r.id, accountId: r.accountId, ownerUserId: r.ownerUserId }) === 'allow');
  t.same(visible.map((r) => r.serviceNumber), ['1000']);
  t.equal(store.apiKeys.of(first.userId).length, 1, 'no duplicate key');
  const room = store.rooms.onServiceNumber('1000')[0];
  // PINs are stored as keyed digests now, not in clear.
  t.same(room?.participantPin, { hash: store.hashPin('1234'), length: 4 });
  t.same(room?.hostPin, { hash: store.hashPin('9876'), length: 4 });
  t.end();
});

t.test('seeding with new values moves the room and replaces the key', (t) => {
  const { store } = tempStore(t);
  seedDemo(store, seed);
  seedDemo(store, { serviceNumber: '2000', participantPin: '1111', hostPin: '2222', apiKey: 'another-key-0123456789abcdef' });
  t.equal(store.apiKeys.resolve(seed.apiKey), null, 'the old key is revoked');
  t.not(store.apiKeys.resolve('another-key-0123456789abcdef'), null);
  t.equal(store.rooms.onServiceNumber('1000').length, 0);
  t.same(store.rooms.onServiceNumber('2000')[0]?.hostPin, { hash: store.hashPin('2222'), length: 4 });
  t.end();
});

t.test('after a restart open conferences end and open legs leave with reason server-restart', (t) => {
  const { store } = tempStore(t);
  const { room } = seedDemo(store, seed);
  const at = new Date('2026-03-01T09:00:00Z');
  const now = new Date('2026-03-01T10:00:00Z');
  store.conferences.insert(startConference('c-open', room.id, at));
  store.conferences.insert({ ...startConference('c-done', room.id, at), endedAt: at, endReason: 'ended-by-host' });
  const base = newLeg({ id: 'l-joined', direction: 'inbound', caller: null, sourceAddress: null, serviceNumber: '1000', names: NO_NAMES, at });
  const joined = { ...transition(transition(base, 'in-ivr', at).leg, 'joined', at).leg, roomId: room.id, conferenceId: 'c-open' };
  store.legs.insert(joined);
  const inIvr = transition({ ...base, id: 'l-ivr' }, 'in-ivr', at).leg;
  store.legs.insert(inIvr);

  t.equal(closeInterruptedConferences(store, now), 1);
  const c = store.conferences.get('c-open');
  t.equal(c?.endReason, 'server-restart');
  t.equal(c?.endedAt?.toISOString(), now.toISOString());
  t.equal(store.conferences.get('c-done')?.endReason, 'ended-by-host', 'ended conferences are left alone');
  for (const id of ['l-joined', 'l-ivr']) {
    const leg = store.legs.get(id);
    t.equal(leg?.state, 'left', `${id} left`);
    t.equal(leg?.leftReason, 'server-restart');
    t.equal(store.legs.history(id).at(-1)?.kind, 'state');
    t.equal(store.legs.history(id).at(-1)?.actor, null, 'the system, not a person, made them leave');
  }
  t.equal(closeInterruptedConferences(store, now), 0, 'a second run finds nothing');
  t.end();
});
