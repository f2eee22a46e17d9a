import t from 'tap';
import { DEMO_IDS } from '../../../src/storage/index.ts';
import { FakeClock } from './support/fake-clock.ts';
import { bridgeOf, HOST_PIN, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

t.test('an account that records every conference: the first caller is told, then the recording starts; a later caller hears it is being recorded', async (t) => {
  const world = makeWorld(t, { waitForHost: false });
  world.store.accounts.update(DEMO_IDS.account, { recordAllConferences: true });
  const first = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => world.store.recordings.open().length === 1, 'a recording is being written');
  const [recording] = world.store.recordings.open();
  t.equal(recording?.startedBy, 'account-setting', 'started by the account setting, not by a person');
  t.ok(first.heard.includes('recording-started'), 'the first caller heard that recording has started');
  t.ok(world.events.some((e) => e.type === 'recording-started'), 'live status says recording started');
  const later = await world.call({ pins: [HOST_PIN] });
  await until(() => later.heard.includes('recording-started-notice'), 'the late joiner is told');
  t.equal(world.store.recordings.open().length, 1, 'a second caller does not start a second recording');
});

t.test('an account that does not record every conference records nothing by itself', async (t) => {
  const world = makeWorld(t, { waitForHost: false });
  const caller = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => world.events.some((e) => e.type === 'leg-updated' && e.leg.state === 'joined'), 'the caller is in');
  // A recording would have been asked for at the join; give its notice time to begin.
  await new Promise((r) => setTimeout(r, 200));
  t.equal(world.store.recordings.open().length, 0);
  t.notOk(caller.heard.includes('recording-started'));
  t.notOk(world.events.some((e) => e.type === 'recording-started'));
});

t.test('the reminder tone: every interval while recording each member hears it alone; none while paused; none in the room mix', async (t) => {
  const clock = new FakeClock();
  const world = makeWorld(t, { waitForHost: false }, { clock });
  world.store.accounts.update(DEMO_IDS.account, { recordingReminderSeconds: 30 });
  const host = await world.call({ pins: [HOST_PIN] });
  const guest = await world.call({ pins: [PARTICIPANT_PIN] });
  await until(() => bridgeOf(world).members.size === 2, 'both in');
  const reminders = (leg: { heard: string[] }): number => leg.heard.filter((p) => p === 'recording-reminder').length;
  const byHost = { kind: 'user', principal: { kind: 'user', id: DEMO_IDS.user, accountId: DEMO_IDS.account, role: 'admin', actsFor: [] }, via: 'api-key' } as const;

  await world.runtime.commands.recordingCommand(world.room.id, 'start', byHost);
  clock.advance(29_000);
  await new Promise((r) => setImmediate(r));
  t.equal(reminders(guest), 0, 'not before the interval');
  clock.advance(1_000);
  await until(() => reminders(guest) === 1 && reminders(host) === 1, 'both hear the first reminder at 30 s');
  clock.advance(30_000);
  await until(() => reminders(guest) === 2, 'and again at 60 s');

  await world.runtime.commands.recordingCommand(world.room.id, 'pause', byHost);
  clock.advance(90_000);
  await new Promise((r) => setImmediate(r));
  t.equal(reminders(guest), 2, 'no reminder while paused');
  await world.runtime.commands.recordingCommand(world.room.id, 'resume', byHost);
  clock.advance(30_000);
  await until(() => reminders(guest) === 3, 'reminders come back after the resume');

  await world.runtime.commands.recordingCommand(world.room.id, 'stop', byHost);
  clock.advance(120_000);
  await new Promise((r) => setImmediate(r));
  t.equal(reminders(guest), 3, 'none after the stop');
  t.notOk(bridgeOf(world).announcements.some((files) => files.some((f) => f.endsWith('recording-reminder.wav'))), 'never played into the room mix');
});
