/**
 * "End when the last host leaves": the room ends the grace time after the last host left
 * (with the end announcement), and a host who comes back within it cancels the end. A real
 * 60 s delay, on a fake clock.
 */
import t from 'tap';
import { FakeClock } from './support/fake-clock.ts';
import { bridgeOf, HOST_PIN, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

const GRACE_SECONDS = 60;

t.test('the room ends 60 s after the last host left, not before, and the guests hear it end', async (t) => {
  const clock = new FakeClock();
  const world = makeWorld(t, { endWhenHostLeavesAfterSeconds: GRACE_SECONDS }, { clock });
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';

  host.remoteHangup();
  await until(() => clock.pending === 1, 'the grace timer runs');
  clock.advance((GRACE_SECONDS - 1) * 1000);
  await new Promise((r) => setImmediate(r));
  t.equal(guest.closed, false, '59 s later the guest is still in');
  t.equal(world.store.conferences.get(conferenceId)?.endReason ?? null, null, 'and the conference has not ended');

  clock.advance(1000);
  await until(() => guest.closed, 'the guest is hung up');
  t.equal(world.store.conferences.get(conferenceId)?.endReason, 'host-left');
  t.ok(bridgeOf(world).announcements.some((files) => files.some((f) => f.endsWith('conference-ending.wav'))), 'the room heard "the conference is ending"');
  t.equal(world.store.conferences.get(conferenceId)?.endedAt?.getTime(), Date.parse('2026-01-05T10:00:00Z') + GRACE_SECONDS * 1000, 'ended at the end of the grace');
});

t.test('a host who rejoins within the grace time cancels the end', async (t) => {
  const clock = new FakeClock();
  const world = makeWorld(t, { endWhenHostLeavesAfterSeconds: GRACE_SECONDS }, { clock });
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  const conferenceId = world.runtime.live.current(world.room.id)?.id ?? '';

  host.remoteHangup();
  await until(() => clock.pending === 1, 'the grace timer runs');
  clock.advance(30_000);
  const back = await world.call({ pins: [HOST_PIN] });
  await until(() => bridgeOf(world).members.has(back.id), 'the host is back');
  t.equal(clock.pending, 0, 'the grace timer is cancelled');
  clock.advance(GRACE_SECONDS * 10 * 1000);
  await new Promise((r) => setImmediate(r));
  t.equal(guest.closed, false, 'the guest stays in');
  t.equal(world.store.conferences.get(conferenceId)?.endReason ?? null, null, 'the conference goes on');
  t.equal(world.runtime.live.current(world.room.id)?.id, conferenceId, 'the same conference');
});
