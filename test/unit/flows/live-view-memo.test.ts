/**
 * The live view a status poll reads is handed out again while nothing in the room changed,
 * and is rebuilt after every change a viewer could see (so a cached answer is never stale).
 */
import t from 'tap';
import type { Actor } from '../../../src/flows/host-commands.ts';
import { LiveViewMemo } from '../../../src/flows/live-view-memo.ts';
import type { LiveConference } from '../../../src/domain/live-view.ts';
import { DEMO_IDS } from '../../../src/storage/index.ts';
import { bridgeOf, HOST_PIN, legIdOf, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

const host: Actor = { kind: 'user', principal: { kind: 'user', id: DEMO_IDS.user, accountId: DEMO_IDS.account, role: 'admin', actsFor: [] }, via: 'api-key' };

t.test('the memo builds again only when an input is a different object', async (t) => {
  const memo = new LiveViewMemo();
  const a = { id: 'leg-a' };
  let builds = 0;
  const build = (): LiveConference => {
    builds++;
    return { id: 'c', roomId: 'r', startedAt: '2026-12-02T10:00:00.000Z', locked: false, recording: 'off', legs: [] };
  };
  const first = memo.get([a, 'off'], build);
  t.equal(memo.get([a, 'off'], build), first, 'same inputs: the same view');
  t.equal(builds, 1);
  t.not(memo.get([{ id: 'leg-a' }, 'off'], build), first, 'an equal but new record: built again');
  t.not(memo.get([a, 'recording'], build), first);
  t.not(memo.get([a], build), first, 'a leg fewer');
  t.equal(builds, 4);
});

t.test("a room's live view stays the same object between changes and follows every change", async (t) => {
  const world = makeWorld(t);
  const view = (): LiveConference | null => world.runtime.live.current(world.room.id);
  const hostLeg = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  const guestId = legIdOf(world, guest);
  await until(() => view()?.legs.length === 2 && view()?.legs.every((l) => l.state === 'joined') === true, 'both shown joined');

  const steady = view();
  t.equal(view(), steady, 'nothing changed: the same view');

  bridgeOf(world).talk(guest, true);
  const talking = view();
  t.not(talking, steady);
  t.equal(talking?.legs.find((l) => l.id === guestId)?.talking, true, 'talking is shown');

  await world.runtime.commands.legCommand(world.room.id, guestId, 'mute', host);
  t.equal(view()?.legs.find((l) => l.id === guestId)?.muted, true, 'a mute is shown');

  await world.runtime.commands.roomCommand(world.room.id, 'lock', host);
  t.equal(view()?.locked, true, 'the lock is shown');

  await world.runtime.commands.legCommand(world.room.id, guestId, 'drop', host);
  t.same(view()?.legs.map((l) => l.id), [legIdOf(world, hostLeg)], 'a dropped leg is gone from the view');
  t.equal(view(), view());
});
