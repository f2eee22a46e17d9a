/**
 * Data-subject requests over HTTP on a file-backed store: a number that called twice (once
 * withheld) into two rooms is exported (the zip lists both legs and the clip, and nothing of
 * the other callers), then erased (gone from the API, the files and the database bytes; a
 * second erasure reports nothing left; billed minutes unchanged). Names are corrected; the
 * register records who asked and why.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { Administration } from '../../../src/admin/administration.ts';
import { invoiceLine } from '../../../src/domain/invoice.ts';
import { buildApp } from '../../../src/http/build-app.ts';
import { MemoryLiveStatus } from '../support/memory-live-status.ts';
import { RecordingHostCommands } from '../support/recording-host-commands.ts';
import { zipEntries } from '../../support/zip-entries.ts';
import { seededWorld } from '../../unit/privacy/support/seeded-calls.ts';

const OPERATOR = 'operator-key-privacy-0123456789';
const SUBJECT = '+4930123450001';
const OTHER = '+4930123450002';
const OTHER_NAME = 'Otto Otherperson';

const world = seededWorld(t);
const admin = new Administration({ store: world.store, operatorKey: OPERATOR, now: () => new Date(), conferences: { isRunning: () => false, endAllOf: async () => undefined } });
const app = await buildApp({ admin, live: new MemoryLiveStatus(), commands: new RecordingHostCommands(), logger: pino({ level: 'silent' }) });
t.teardown(() => app.close());

const at = new Date(Date.now() - 3 * 86_400_000);
const first = world.conference(world.rooms[0], at, [
  { number: SUBJECT, displayName: 'Sabine Subject', typedName: 'Sabine S', minutes: 5, clip: true },
  { number: OTHER, displayName: OTHER_NAME, minutes: 6 },
]);
const second = world.conference(world.rooms[1], new Date(at.getTime() + 86_400_000), [
  { number: SUBJECT, displayName: 'Sabine Subject', withheld: true, minutes: 3 },
  { number: '+4930123450003', displayName: 'Third Caller', minutes: 2 },
]);
world.store.contacts.upsert(world.accountId, { number: SUBJECT, name: 'Sabine Subject', company: 'Subject GmbH' }, new Date());
world.store.contacts.upsert(world.accountId, { number: OTHER, name: OTHER_NAME, company: null }, new Date());
world.store.pinAttempts.record({ serviceNumber: '1000', cli: SUBJECT, sourceAddress: '127.0.0.1', at: Date.now(), ok: false });
const SYSTEM_ACTOR = { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null } as const;
/** A host dialled the subject out of the first room (the attempt keeps the destination number). */
world.store.dialAttempts.insert({
  id: 'dial-subject', at: new Date(at.getTime() + 60_000).toISOString(), accountId: world.accountId, roomId: world.rooms[0], kind: 'room',
  actor: SYSTEM_ACTOR, destination: SUBJECT, numberType: 'FIXED_LINE', decision: 'placed', reason: null, trunkId: null, legId: null,
});
world.store.dialAttempts.finish('dial-subject', 'no-answer', new Date(at.getTime() + 90_000));
world.store.dialAttempts.insert({
  id: 'dial-other', at: new Date(at.getTime() + 60_000).toISOString(), accountId: world.accountId, roomId: world.rooms[0], kind: 'room',
  actor: SYSTEM_ACTOR, destination: OTHER, numberType: 'FIXED_LINE', decision: 'placed', reason: null, trunkId: null, legId: null,
});
const accountKey = 'privacy-admin-key-0123456789';
world.store.apiKeys.add(`${world.accountId}-host`, accountKey, 'admin');

/** A recording of `conferenceId` started from `legId`, with a file in the data directory. */
let recordings = 0;
function recording(conferenceId: string, roomId: string, legId: string): string {
  recordings += 1;
  const path = join(world.dir, `recording-${String(recordings)}.wav`);
  writeFileSync(path, 'RIFF fake recording');
  world.store.recordings.save({
    id: `rec-${String(recordings)}`, roomId, accountId: world.accountId, conferenceId, startedBy: `leg:${legId}`, startedAt: at, stoppedAt: at, pausedMs: 0,
    pausedSince: null, durationMs: 1000, sizeBytes: 19, sha256: null, path, encoding: 'pcm16', state: 'done', cutShort: false,
  });
  return path;
}
const ownRecording = recording(first.conferenceId, world.rooms[0], first.legIds[0] ?? '');
const othersRecording = recording(first.conferenceId, world.rooms[0], first.legIds[1] ?? '');

async function post(url: string, payload: unknown, key = OPERATOR): Promise<{ status: number; body: Buffer; json: () => Record<string, unknown> }> {
  const res = await app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { authorization: `Bearer ${key}` } });
  return { status: res.statusCode, body: res.rawPayload, json: () => JSON.parse(res.body) as Record<string, unknown> };
}

function minutesBilled(): number {
  return world.store.billing.conferences(world.accountId, new Date('2020-01-01'), new Date('2100-01-01'), { limit: 100 }).items.map(invoiceLine).reduce((n, l) => n + l.minutes, 0);
}

t.test('find counts what is held about the number', async (t) => {
  const res = await post('/v1/data-requests/find', { subject: { number: '+49 30 1234 50001' }, reason: 'caller asked by email, ticket 42' });
  t.equal(res.status, 200);
  t.match(res.json().found, { legs: 2, conferences: 2, contacts: 1, pinAttempts: 1, nameClips: 1, dialAttempts: 1 });
});

t.test('export: the zip lists both legs (one withheld) and the clip, and nothing about the other callers', async (t) => {
  const res = await post('/v1/data-requests/export', { subject: { number: SUBJECT }, accountId: world.accountId, reason: 'subject access request, ID checked' }, accountKey);
  t.equal(res.status, 200);
  const entries = zipEntries(res.body);
  const names = entries.map((e) => e.name);
  t.ok(names.includes('manifest.json') && names.includes('summary.txt'), 'a manifest and a readable summary');
  const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')?.data.toString('utf8') ?? '{}') as {
    legs: { id: string; numberWithheld: boolean; spokenNameClip: string | null; conferenceId: string }[];
    contacts: unknown[];
    dialAttempts: { id: string; destination: string; outcome: string | null }[];
  };
  t.same(manifest.dialAttempts.map((d) => [d.id, d.destination, d.outcome]), [['dial-subject', SUBJECT, 'no-answer']], 'the dial-out attempt to the number, and not the one to another person');
  t.same(manifest.legs.map((l) => l.id).sort(), [first.legIds[0], second.legIds[0]].sort(), 'both of its legs');
  t.same(manifest.legs.map((l) => l.numberWithheld).sort(), [false, true], 'one of them withheld');
  const clip = manifest.legs.find((l) => l.spokenNameClip !== null)?.spokenNameClip;
  t.ok(typeof clip === 'string' && names.includes(clip), `the spoken-name clip is in the zip as a file (${String(clip)})`);
  t.equal(manifest.contacts.length, 1);
  const everything = entries.map((e) => e.data.toString('latin1')).join('\n');
  for (const other of [OTHER, OTHER.slice(1), OTHER_NAME, 'Third Caller', '4930123450003', first.legIds[1] ?? '?', second.legIds[1] ?? '?']) {
    t.notOk(everything.includes(other), `nothing about other callers: no "${other}"`);
  }
});

t.test('a withheld number is in no history, CSV or export of another person', async (t) => {
  const auth = { authorization: `Bearer ${accountKey}` };
  const history = await app.inject({ method: 'GET', url: `/v1/conferences/${second.conferenceId}`, headers: auth });
  const csv = await app.inject({ method: 'GET', url: `/v1/conferences/${second.conferenceId}/participants.csv`, headers: auth });
  t.equal(history.statusCode, 200);
  t.equal(csv.statusCode, 200);
  const theirs = await post('/v1/data-requests/export', { subject: { number: '+4930123450003' }, reason: 'the third caller asked' });
  const text = zipEntries(theirs.body).map((e) => e.data.toString('latin1')).join('\n');
  t.ok(text.includes('4930123450003'), "the third caller's own export holds their number");
  for (const [what, body] of [['history', history.body], ['participants CSV', csv.body], ["another person's export", text]] as const) {
    t.notOk(body.includes('4930123450001') || body.includes('Sabine'), `the withheld caller is not in the ${what}`);
  }
});

t.test('correct: the name on their legs and contact is put right', async (t) => {
  const res = await post('/v1/data-requests/correct', { subject: { number: SUBJECT }, reason: 'misspelt name', name: 'Sabina Subject' });
  t.equal(res.status, 200);
  t.match(res.json().corrected, { legs: 2, contacts: 1 });
  t.equal(world.store.legs.get(first.legIds[0] ?? '')?.names.hostAssigned, 'Sabina Subject');
  t.equal(world.store.contacts.byNumber(world.accountId, SUBJECT)?.name, 'Sabina Subject');
  t.equal((await post('/v1/data-requests/correct', { subject: { number: SUBJECT }, reason: 'x', name: 'X', extra: 1 })).status, 400, 'unknown fields are refused');
});

t.test('erase: gone from the API, the files and the database bytes; a second erase finds nothing; billing unchanged', async (t) => {
  const billed = minutesBilled();
  const clipPath = world.store.legs.get(first.legIds[0] ?? '')?.names.spokenClipPath ?? '';
  t.ok(existsSync(clipPath), 'the clip file exists before');
  const res = await post('/v1/data-requests/erase', { subject: { number: SUBJECT }, reason: 'erasure request, ID checked' });
  t.equal(res.status, 200);
  const body = res.json() as { erased: Record<string, number>; nothingLeft: boolean };
  t.match(body.erased, { legs: 2, contacts: 1, pinAttempts: 1, nameClips: 1, recordings: 1, dialAttempts: 1 });
  t.match(world.store.dialAttempts.get('dial-subject'), { destination: '', decision: 'placed', outcome: 'no-answer' }, 'the dial attempt stays for the dial policy\'s counts, without the number');
  t.notOk(existsSync(ownRecording), 'the recording they started is deleted (the account has no legal hold)');
  t.ok(existsSync(othersRecording), "another caller's recording stays");
  t.equal(body.nothingLeft, false);
  t.notOk(existsSync(clipPath), 'the clip file is unlinked');
  t.equal(minutesBilled(), billed, 'billed minutes are unchanged');

  for (const c of [first, second]) {
    const history = await app.inject({ method: 'GET', url: `/v1/conferences/${c.conferenceId}`, headers: { authorization: `Bearer ${accountKey}` } });
    t.equal(history.statusCode, 200);
    t.notOk(/4930123450001|Sabine|Sabina/.test(history.body), `the history of ${c.conferenceId} no longer shows the number or names`);
  }
  const contacts = await app.inject({ method: 'GET', url: '/v1/contacts', headers: { authorization: `Bearer ${accountKey}` } });
  t.notOk(contacts.body.includes('4930123450001'), 'nor the contact list');
  t.ok(contacts.body.includes(OTHER_NAME), "others' contacts stay");
  const bytes = world.bytes();
  for (const gone of ['4930123450001', 'Sabine Subject', 'Sabina Subject', 'Sabine S', 'Subject GmbH']) t.notOk(bytes.includes(gone), `the database bytes do not contain "${gone}"`);
  t.ok(bytes.includes(OTHER_NAME), 'while other callers are still there');

  const again = await post('/v1/data-requests/erase', { subject: { number: SUBJECT }, reason: 'repeat' });
  t.equal(again.status, 200);
  t.equal((again.json() as { nothingLeft: boolean }).nothingLeft, true, 'a second erase reports nothing left');
});

t.test("under the account's legal hold, a person's own recordings are kept on erasure", async (t) => {
  const account = await app.inject({ method: 'PATCH', url: `/v1/accounts/${world.accountId}`, payload: { erasureKeepsRecordings: true }, headers: { authorization: `Bearer ${accountKey}` } });
  t.equal(account.statusCode, 200);
  t.equal((JSON.parse(account.body) as { erasureKeepsRecordings: boolean }).erasureKeepsRecordings, true);
  const held = world.conference(world.rooms[0], at, [{ number: '+4930123450009', displayName: 'Hilde Held', minutes: 2 }]);
  const path = recording(held.conferenceId, world.rooms[0], held.legIds[0] ?? '');
  const res = await post('/v1/data-requests/erase', { subject: { number: '+4930123450009' }, accountId: world.accountId, reason: 'erasure under hold' }, accountKey);
  t.match(res.json(), { keptUnderLegalHold: 1, erased: { legs: 1, recordings: 0 } });
  t.ok(existsSync(path), 'the recording is kept');
  t.notOk(world.bytes().includes('Hilde Held'), 'while the name is erased');
});

t.test('a user subject: their calls from their profile numbers are found; erasure anonymises the profile', async (t) => {
  world.store.users.create({ id: 'u-ulla', accountId: world.accountId, name: 'Ulla Userin', role: 'host', email: 'ulla@example.test', phoneNumbers: ['+4930123450077'] });
  const c = world.conference(world.rooms[1], at, [{ number: '+4930123450077', displayName: 'Ulla Userin', minutes: 2 }]);
  const found = await post('/v1/data-requests/find', { subject: { userId: 'u-ulla' }, reason: 'user asked' });
  t.match(found.json().found, { legs: 1, users: 1 });
  t.equal((await post('/v1/data-requests/find', { subject: { userId: 'u-ulla' }, accountId: 'acct-elsewhere', reason: 'user asked' })).status, 404, 'another account: not found');
  const erased = await post('/v1/data-requests/erase', { subject: { userId: 'u-ulla' }, reason: 'user asked to be forgotten' });
  t.match(erased.json(), { erased: { legs: 1, users: 1 }, nothingLeft: false });
  t.equal(world.store.users.get('u-ulla')?.name, 'Erased user');
  t.equal(world.store.legs.get(c.legIds[0] ?? '')?.caller, null, 'the call no longer carries the number');
  t.notOk(world.bytes().includes('Ulla Userin') || world.bytes().includes('ulla@example.test'), 'name and email are gone from the bytes');
  t.equal((await post('/v1/data-requests/erase', { subject: { userId: 'u-ulla' }, reason: 'again' })).json().nothingLeft, true);
});

t.test('the register says who asked, why and what it did, never the number', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/v1/data-requests', headers: { authorization: `Bearer ${OPERATOR}` } });
  const list = JSON.parse(res.body) as { items: { action: string; reason: string; subject: { hint: string }; actor: { role: string } }[] };
  t.same(list.items.map((i) => i.action), ['erase', 'erase', 'find', 'erase', 'erase', 'erase', 'correct', 'export', 'export', 'find']);
  t.equal(list.items.at(-1)?.reason, 'caller asked by email, ticket 42');
  t.ok(list.items.some((i) => i.subject.hint === 'number ending 001'), 'subjects appear as a hint');
  t.notOk(res.body.includes('4930123450001'), 'the number is not in the register');
  t.equal((await post('/v1/data-requests/find', { subject: { number: 'not a number' }, reason: 'bad' })).status, 400);
  t.equal((await post('/v1/data-requests/find', { subject: { number: SUBJECT } })).status, 400, 'a reason is required');
});
