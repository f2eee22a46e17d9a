import t from 'tap';
import { auth, buildTestWorld, testConference, testLeg } from './support/test-world.ts';

t.test('the live view lists the running conference and its legs with every published field', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice/live', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  t.same(res.json(), { conference: testConference('room-alice') });
});

t.test('a room with no running conference has conference null', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice-2/live', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { conference: null });
});

t.test('a withheld number is null in the API even if the source forgot to mask it', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  world.live.setCurrent('room-alice', {
    ...testConference('room-alice'),
    legs: [testLeg({ id: 'leg-x', number: '+441632967777', numberWithheld: true })],
  });
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice/live', headers: auth(world.users.alice) });
  t.equal(res.json().conference.legs[0].number, null);
  t.equal(res.json().conference.legs[0].numberWithheld, true);
  t.notMatch(res.body, /7777/);
});

t.test('fields an implementation adds to a leg are not published', async (t) => {
  const world = await buildTestWorld();
  t.teardown(() => world.app.close());
  const leg = { ...testLeg({ id: 'leg-x' }), sipCallId: 'abc@10.0.0.1', rawFrom: 'sip:secret@host' };
  world.live.setCurrent('room-alice', { ...testConference('room-alice'), legs: [leg] });
  const res = await world.app.inject({ method: 'GET', url: '/v1/rooms/room-alice/live', headers: auth(world.users.alice) });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /sipCallId|secret/);
});
