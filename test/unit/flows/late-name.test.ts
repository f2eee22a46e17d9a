/**
 * A name that a look-up finds after the caller joined reaches live status as an event: the
 * runtime over the fake engine, with the real look-up and a directory served by a real
 * node:http server that holds its answer until the test has seen the join.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import t from 'tap';
import { createNameLookup } from '../../../src/lookup/index.ts';
import { bridgeOf, legIdOf, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

t.test('a directory answer that lands after the join updates the leg in live status', async (t) => {
  const pending: ServerResponse[] = [];
  const directory = createServer((_req, res) => {
    pending.push(res);
  });
  await new Promise<void>((resolve) => directory.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    directory.closeAllConnections();
    directory.close();
  });
  const urlTemplate = `http://127.0.0.1:${(directory.address() as AddressInfo).port}/?n={number}`;
  const world = makeWorld(t, {}, { names: (store) => createNameLookup(store, pino({ level: 'silent' }), { urlTemplate, timeoutMs: 1000 }) });

  const leg = await world.call({ pins: [PARTICIPANT_PIN] }, { from: 'sip:+442079460401@carrier.example' });
  await until(() => bridgeOf(world).members.has(leg.id), 'leg in bridge');
  const id = legIdOf(world, leg);
  t.equal(world.runtime.live.current(world.room.id)?.legs[0]?.nameSource, 'number', 'joined before the directory answered');
  await until(() => pending.length === 1, 'the directory is asked');
  const joinedAt = world.events.length;
  pending[0]?.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'Late Larry' }));

  await until(() => world.events.slice(joinedAt).some((e) => e.type === 'leg-updated' && e.leg.id === id && e.leg.nameSource === 'directory'), 'the late name event');
  const live = world.runtime.live.current(world.room.id)?.legs.find((l) => l.id === id);
  t.equal(live?.name, 'Late Larry');
  t.equal(live?.nameSource, 'directory');
  const history = world.store.legs.history(id).filter((e) => e.kind === 'name');
  t.same(history.map((e) => e.detail), [{ which: 'spokenClipPath', by: 'caller' }, { which: 'lookedUp', by: 'lookup:directory' }], 'the history says which source named the leg');
});
