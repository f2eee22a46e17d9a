import t from 'tap';
import { newLeg, transition } from '../../../src/domain/leg.ts';
import { NO_NAMES } from '../../../src/domain/leg-names.ts';
import { startConference } from '../../../src/domain/conference.ts';
import { closeInterruptedConferences, seedDemo } from '../../../src/storage/index.ts';
import { tempStore } from './temp-store.ts';

const seed = { serviceNumber: '1000', participantPin: '1234', hostPin: '9876', apiKey: 'demo-key-0123456789abcdefghij' };

t.test('seeding the demo makes an admin host with the key and one room, and is idempotent', (t) => {
  const { store } = tempStore(t);
  const first = seedDemo(store, seed);
  const second = seedDemo(store, seed);
  t.same(second, first);
  const user = store.userForApiKey(seed.apiKey);
  t.equal(user?.role, 'admin');
  t.same(store.roomsVisibleTo(user!).map((r) => r.serviceNumber), ['1000']);
  t.equal(store.users.apiKeysOf(first.userId).length, 1, 'no duplicate key');
  const room = store.rooms.onServiceNumber('1000')[0];
  t.equal(room?.participantPin, '1234');
  t.equal(room?.hostPin, '9876');
  t.end();
});

t.test('seeding with new values moves the room and replaces the key', (t) => {
  const { store } = tempStore(t);
  seedDemo(store, seed);
  seedDemo(store, { serviceNumber: '2000', participantPin: '1111', hostPin: '2222', apiKey: 'another-key-0123456789abcdef' });
  t.equal(store.userForApiKey(seed.apiKey), null, 'the old key is revoked');
  t.not(store.userForApiKey('another-key-0123456789abcdef'), null);
  t.equal(store.rooms.onServiceNumber('1000').length, 0);
  t.equal(store.rooms.onServiceNumber('2000')[0]?.hostPin, '2222');
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
  }
  t.equal(closeInterruptedConferences(store, now), 0, 'a second run finds nothing');
  t.end();
});
