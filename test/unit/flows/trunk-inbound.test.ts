import t from 'tap';
import { callFacts } from './support/fake-engine.ts';
import { legIdOf, makeWorld, PARTICIPANT_PIN } from './support/runtime-world.ts';
import type { World } from './support/runtime-world.ts';

/** A carrier in 192.0.2.0/24 (GB) that delivers two DIDs for the demo room's number 1000. */
function addCarrier(world: World): void {
  const trunk = world.store.trunks.create('trunk-uk', {
    name: 'Carrier UK', accountId: null, country: 'GB', inboundCidrs: ['192.0.2.0/24'], outboundUri: null, transport: 'udp', username: null, callerIds: [], maxConcurrent: 5,
  }, new Date());
  world.store.trunks.setDids(trunk.id, [{ did: '+441632960100', serviceNumber: '1000' }, { did: '+441632960101', serviceNumber: '1000' }]);
}

t.test('a call from an address outside every trunk range is refused 403 when open inbound is off', async (t) => {
  const world = makeWorld(t, {}, { openInbound: false });
  addCarrier(world);
  const offered = world.engine.offer(callFacts({ dialled: '+441632960100', source: '198.51.100.7' }), { pins: [PARTICIPANT_PIN] });
  t.same(await offered.outcome, { kind: 'rejected', status: 403 }, 'refused with 403 before any answer');
  t.equal(world.store.legs.byCallId(offered.facts.callId), null, 'no leg was stored for it');
});

t.test('calls from the carrier reach the room on either DID, national or international', async (t) => {
  const world = makeWorld(t, {}, { openInbound: false });
  addCarrier(world);
  for (const dialled of ['+441632960100', '+441632960101', '01632960101', '00441632960100']) {
    const leg = await world.call({ pins: [PARTICIPANT_PIN] }, { dialled, source: '192.0.2.44' });
    const record = world.store.legs.get(legIdOf(world, leg));
    t.equal(record?.serviceNumber, '1000', `${dialled} lands on service number 1000`);
  }
});

t.test("a national CLI from the carrier is normalised with the trunk's country", async (t) => {
  const world = makeWorld(t, {}, { openInbound: false });
  addCarrier(world);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] }, { dialled: '+441632960100', from: 'sip:07911123456@192.0.2.44', source: '192.0.2.44' });
  t.equal(world.store.legs.get(legIdOf(world, leg))?.caller?.number, '+447911123456');
});

t.test('open inbound (development) still takes calls from anywhere on the service number', async (t) => {
  const world = makeWorld(t);
  addCarrier(world);
  const leg = await world.call({ pins: [PARTICIPANT_PIN] }, { dialled: '1000', source: '203.0.113.9' });
  t.ok(leg, 'answered');
});
