/**
 * Retention on a fake clock, through the real job and a file-backed store: what is due goes
 * with its legs, events, names, numbers and clips, really (the database file and its WAL no
 * longer hold the bytes), while what is not due stays and invoices still add up.
 */
import { existsSync } from 'node:fs';
import t from 'tap';
import { pino } from 'pino';
import { invoiceLine } from '../../../src/domain/invoice.ts';
import { monthsBefore, retentionMonths } from '../../../src/domain/retention.ts';
import { startRetentionJob } from '../../../src/jobs/retention-job.ts';
import { Metrics } from '../../../src/observability/metrics.ts';
import { FakeClock } from '../flows/support/fake-clock.ts';
import { seededWorld, type SeededWorld } from './support/seeded-calls.ts';

const NOW = Date.parse('2027-06-15T12:00:00Z');
const LOCKOUT = { windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

function job(world: SeededWorld, clock: FakeClock, metrics?: Metrics): ReturnType<typeof startRetentionJob> {
  const running = startRetentionJob({
    store: world.store, clock: clock.clock, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), bounds: { minMonths: 1, maxMonths: 120 }, lockout: LOCKOUT, batchSize: 2,
    onDeleted: (kind, count) => {
      metrics?.dataRetentionDeleted(kind, count);
    },
  });
  t.teardown(() => {
    running.stop();
  });
  return running;
}

function invoiceMinutes(world: SeededWorld): number {
  const page = world.store.billing.conferences(world.accountId, new Date('2020-01-01'), new Date('2030-01-01'), { limit: 500 });
  return page.items.map(invoiceLine).reduce((n, l) => n + l.minutes, 0);
}

t.test('the policy: 12 months by default, an override within the bounds, calendar months', async (t) => {
  t.equal(retentionMonths({ retentionMonths: null }), 12);
  t.equal(retentionMonths({ retentionMonths: 3 }), 3);
  t.equal(retentionMonths({ retentionMonths: 3 }, { minMonths: 6, maxMonths: 24 }), 6, 'raised to the operator minimum');
  t.equal(retentionMonths({ retentionMonths: 60 }, { minMonths: 6, maxMonths: 24 }), 24, 'cut to the operator maximum');
  t.equal(monthsBefore(new Date('2027-03-31T00:00:00Z'), 1).toISOString(), '2027-02-28T00:00:00.000Z');
});

t.test('a conference 11 months old is kept; one 13 months old is gone with its legs, events, names and clips', async (t) => {
  const world = seededWorld(t);
  const clock = new FakeClock(NOW);
  const old = world.conference(world.rooms[0], new Date(monthsBefore(new Date(NOW), 13)), [
    { number: '+4930123456701', displayName: 'Ottilie Oldcall', typedName: 'Ottilie O', minutes: 5, clip: true },
    { number: '+4930123456702', displayName: null, withheld: true, minutes: 7 },
  ]);
  const recent = world.conference(world.rooms[1], new Date(monthsBefore(new Date(NOW), 11)), [{ number: '+4930123456703', displayName: 'Rita Recent', minutes: 3 }]);
  // Clips of the recent conference are kept with the history (the account's choice).
  world.store.accounts.update(world.accountId, { keepNameClips: true });
  world.store.pinAttempts.record({ serviceNumber: '1000', cli: '+4930123456701', sourceAddress: '127.0.0.1', at: NOW - 3_600_000, ok: false });
  const dial = (id: string, when: Date, destination: string): void => {
    world.store.dialAttempts.insert({
      id, at: when.toISOString(), accountId: world.accountId, roomId: world.rooms[0], kind: 'room',
      actor: { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null }, destination, numberType: 'FIXED_LINE', decision: 'placed', reason: null, trunkId: null, legId: null,
    });
  };
  dial('dial-old', monthsBefore(new Date(NOW), 13), '+4930123456731');
  dial('dial-recent', monthsBefore(new Date(NOW), 11), '+4930123456732');
  world.store.checkpoint();
  t.ok(world.bytes().includes('4930123456731'), 'the dialled number is in the database bytes before');
  const minutesBefore = invoiceMinutes(world);
  t.equal(minutesBefore, 15);
  t.ok(world.bytes().includes('Ottilie Oldcall'), 'the name is in the database bytes before');

  const result = await job(world, clock).runOnce();
  t.match(result, { conferences: 1, legs: 2, pinAttempts: 1, dialAttempts: 1 }, 'one conference, its two legs, an old PIN attempt and an old dial attempt deleted');
  t.equal(world.store.dialAttempts.get('dial-old'), null, 'the 13-month-old dial attempt is gone');
  t.not(world.store.dialAttempts.get('dial-recent'), null, 'the 11-month-old one is kept');
  t.equal(world.store.conferences.get(old.conferenceId), null, 'the old conference is gone');
  for (const id of old.legIds) {
    t.equal(world.store.legs.get(id), null, `leg ${id} is gone`);
    t.same(world.store.legs.history(id), [], `and its history`);
  }
  t.notOk(existsSync(old.clips[0] ?? ''), 'its spoken-name clip file is unlinked');
  t.not(world.store.conferences.get(recent.conferenceId), null, 'the 11-month-old conference is kept');
  t.equal(world.store.legs.ofConference(recent.conferenceId).length, 1, 'with its leg');
  t.equal(invoiceMinutes(world), minutesBefore, 'invoice minutes are unchanged: the old conference survives as an anonymous aggregate');

  const bytes = world.bytes();
  for (const gone of ['Ottilie Oldcall', 'Ottilie O', '4930123456701', '4930123456702', '4930123456731', 'MATTER-7" ', `call-${old.legIds[0] ?? ''}`]) {
    t.notOk(bytes.includes(gone), `the database file and WAL no longer contain "${gone}"`);
  }
  t.ok(bytes.includes('Rita Recent'), 'what is kept is still there (the search would find it)');
  const audit = world.store.audit.query({ accountId: world.accountId, action: 'retention.deleted' }, { limit: 10 }).items;
  t.equal(audit.length, 1, 'the deletion is audited');
  t.match(audit[0]?.detail, { conferences: 1, legs: 2, dialAttempts: 1 }, 'with counts');
  t.notOk(JSON.stringify(audit).includes('Ottilie'), 'and not contents');
});

t.test("an account's override of 3 months applies; clips go when the conference ended unless kept", async (t) => {
  const world = seededWorld(t, 'acct-short');
  world.store.accounts.update(world.accountId, { retentionMonths: 3 });
  const clock = new FakeClock(NOW);
  const fourMonths = world.conference(world.rooms[0], monthsBefore(new Date(NOW), 4), [{ number: '+4930123456711', displayName: 'Four Months', minutes: 2 }]);
  const lastWeek = world.conference(world.rooms[0], new Date(NOW - 7 * 86_400_000), [{ number: '+4930123456712', displayName: 'Last Week', minutes: 2, clip: true }]);
  const result = await job(world, clock).runOnce();
  t.equal(result.conferences, 1);
  t.equal(world.store.conferences.get(fourMonths.conferenceId), null, 'four months old is past a 3-month override');
  t.not(world.store.conferences.get(lastWeek.conferenceId), null, 'last week is kept');
  t.equal(result.nameClips, 1, "last week's clip is deleted: the account does not keep clips");
  t.notOk(existsSync(lastWeek.clips[0] ?? ''), 'its file is unlinked');
  t.equal(world.store.legs.ofConference(lastWeek.conferenceId)[0]?.names.spokenClipPath, null, 'and the leg no longer points at it');
  t.equal(invoiceMinutes(world), 4, 'both conferences are still billed');
  t.notOk(world.bytes().includes('4930123456711'), 'the deleted number is not in the bytes');
});

t.test('a closed account is deleted 12 months after it closed; its minutes stay as aggregates', async (t) => {
  const world = seededWorld(t, 'acct-closed');
  world.conference(world.rooms[0], monthsBefore(new Date(NOW), 14), [{ number: '+4930123456721', displayName: 'Closed Caller', minutes: 4 }]);
  world.store.accounts.setStatus(world.accountId, 'closed', monthsBefore(new Date(NOW), 13));
  const result = await job(world, new FakeClock(NOW)).runOnce();
  t.equal(result.accounts, 1);
  t.equal(world.store.accounts.get(world.accountId), null, 'the account is gone');
  t.equal(world.store.users.get(`${world.accountId}-host`), null, 'with its users');
  t.notOk(world.bytes().includes('Hosting Harriet'), "the host's name is not in the bytes");
  t.equal(invoiceMinutes(world), 4, 'the anonymous minutes remain');
});

t.test('the deletions of a pass are counted by kind in dialbridge_data_retention_deletions_total', async (t) => {
  const world = seededWorld(t, 'acct-metrics');
  const metrics = new Metrics();
  t.teardown(() => {
    metrics.close();
  });
  world.conference(world.rooms[0], monthsBefore(new Date(NOW), 13), [{ number: '+4930123456741', displayName: 'Metric Caller', minutes: 1 }]);
  world.store.dialAttempts.insert({
    id: 'dial-metric', at: monthsBefore(new Date(NOW), 13).toISOString(), accountId: world.accountId, roomId: world.rooms[0], kind: 'room',
    actor: { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null }, destination: '+4930123456742', numberType: 'FIXED_LINE', decision: 'refused', reason: 'daily-cap', trunkId: null, legId: null,
  });
  const series = async (kind: string): Promise<string | undefined> => new RegExp(`^dialbridge_data_retention_deletions_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(await metrics.text())?.[1];
  t.equal(await series('dial-attempt'), '0', 'every kind is exported at zero before any deletion');
  await job(world, new FakeClock(NOW), metrics).runOnce();
  t.equal(await series('conference'), '1', 'the conference');
  t.equal(await series('leg'), '1', 'its leg');
  t.equal(await series('dial-attempt'), '1', 'the dial attempt');
  t.equal(await series('account'), '0', 'no account was due');
  t.notOk((await metrics.text()).includes('4930123456742'), 'no number in the metrics');
});
