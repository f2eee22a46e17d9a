import t from 'tap';
import { DEMO_IDS } from '../../../src/storage/index.ts';
import { HOST_PIN, makeWorld, PARTICIPANT_PIN, until } from './support/runtime-world.ts';

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
