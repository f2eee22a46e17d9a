/**
 * The recordings API over the real store: who may list, download and delete (host; admin
 * lists and deletes but never downloads; delegates and other accounts see nothing), HTTP
 * Range, pagination, and the 60/90-day life on a fake clock with the retention job.
 */
import { existsSync } from 'node:fs';
import { pino } from 'pino';
import t from 'tap';
import { startRecordingRetention } from '../../src/jobs/recording-retention-job.ts';
import { bearer, buildRecordingWorld, KEYS } from './support/recording-world.ts';

const DAY = 86_400_000;
const ENDED = new Date('2026-03-01T12:00:00Z');

t.test('the host lists, reads and downloads; a Range request returns exactly those bytes', async (t) => {
  const world = await buildRecordingWorld(t);
  world.clock.now = new Date(ENDED.getTime() + DAY);
  const rec = await world.addRecording('rec-1', ENDED);
  const list = await world.app.inject({ url: '/v1/recordings', headers: bearer(KEYS.alice) });
  t.equal(list.statusCode, 200);
  const body = list.json<{ items: { id: string; expired: boolean; sizeBytes: number; sha256: string; encoding: string }[] }>();
  t.same(body.items.map((r) => r.id), ['rec-1']);
  t.equal(body.items[0]?.expired, false);
  t.equal(body.items[0]?.sizeBytes, rec.bytes.length);
  t.equal(body.items[0]?.encoding, 'ulaw');
  t.match(body.items[0]?.sha256, /^[0-9a-f]{64}$/);
  t.equal((await world.app.inject({ url: '/v1/recordings/rec-1', headers: bearer(KEYS.alice) })).statusCode, 200);

  const whole = await world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: bearer(KEYS.alice) });
  t.equal(whole.statusCode, 200);
  t.equal(whole.headers['content-type'], 'audio/wav');
  t.match(String(whole.headers['content-disposition']), /^attachment; filename="recording-.*\.wav"$/);
  t.equal(whole.headers['accept-ranges'], 'bytes');
  t.ok(whole.rawPayload.equals(rec.bytes), 'the whole file');

  const part = await world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: { ...bearer(KEYS.alice), range: 'bytes=100-199' } });
  t.equal(part.statusCode, 206);
  t.equal(part.headers['content-range'], `bytes 100-199/${String(rec.bytes.length)}`);
  t.ok(part.rawPayload.equals(rec.bytes.subarray(100, 200)), 'bytes 100-199 exactly');
  const tail = await world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: { ...bearer(KEYS.alice), range: 'bytes=-10' } });
  t.ok(tail.rawPayload.equals(rec.bytes.subarray(rec.bytes.length - 10)), 'the last 10 bytes');
  const beyond = await world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: { ...bearer(KEYS.alice), range: `bytes=${String(rec.bytes.length)}-` } });
  t.equal(beyond.statusCode, 416);
  t.equal(beyond.headers['content-range'], `bytes */${String(rec.bytes.length)}`);
  t.equal(beyond.json<{ code: string }>().code, 'RANGE_NOT_SATISFIABLE');
});

t.test('a delegate never sees recordings: not in the list, 404 for the entry, the audio and delete', async (t) => {
  const world = await buildRecordingWorld(t);
  world.clock.now = new Date(ENDED.getTime() + DAY);
  await world.addRecording('rec-1', ENDED);
  const list = await world.app.inject({ url: '/v1/recordings', headers: bearer(KEYS.dave) });
  t.same(list.json(), { items: [], nextCursor: null });
  for (const [method, url] of [['GET', '/v1/recordings/rec-1'], ['GET', '/v1/recordings/rec-1/audio'], ['DELETE', '/v1/recordings/rec-1']] as const) {
    const res = await world.app.inject({ method, url, headers: bearer(KEYS.dave) });
    t.equal(res.statusCode, 404, `${method} ${url} is 404`);
    t.equal(res.json<{ code: string }>().code, 'NOT_FOUND');
  }
  t.ok(existsSync(world.store.recordings.get('rec-1')?.path ?? ''), 'nothing was deleted');
});

t.test('another account gets 404 for everything and an empty list', async (t) => {
  const world = await buildRecordingWorld(t);
  world.clock.now = new Date(ENDED.getTime() + DAY);
  await world.addRecording('rec-1', ENDED);
  t.same((await world.app.inject({ url: '/v1/recordings', headers: bearer(KEYS.eve) })).json(), { items: [], nextCursor: null });
  for (const [method, url] of [['GET', '/v1/recordings/rec-1'], ['GET', '/v1/recordings/rec-1/audio'], ['DELETE', '/v1/recordings/rec-1']] as const) {
    t.equal((await world.app.inject({ method, url, headers: bearer(KEYS.eve) })).statusCode, 404, `${method} ${url} is 404`);
  }
  t.equal((await world.app.inject({ method: 'POST', url: '/v1/rooms/room-alice/recording/start', headers: bearer(KEYS.eve) })).statusCode, 404, 'nor can it start one');
});

t.test('an account admin lists and deletes but may not download (403 with a code); the deletion is audited', async (t) => {
  const world = await buildRecordingWorld(t);
  world.clock.now = new Date(ENDED.getTime() + DAY);
  const rec = await world.addRecording('rec-1', ENDED);
  const list = await world.app.inject({ url: '/v1/recordings', headers: bearer(KEYS.ada) });
  t.same(list.json<{ items: { id: string }[] }>().items.map((r) => r.id), ['rec-1']);
  const audio = await world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: bearer(KEYS.ada) });
  t.equal(audio.statusCode, 403);
  t.equal(audio.json<{ code: string }>().code, 'RECORDING_DOWNLOAD_FORBIDDEN');
  const del = await world.app.inject({ method: 'DELETE', url: '/v1/recordings/rec-1', headers: bearer(KEYS.ada) });
  t.equal(del.statusCode, 204);
  t.notOk(existsSync(rec.path), 'the file is gone');
  t.equal((await world.app.inject({ url: '/v1/recordings/rec-1', headers: bearer(KEYS.alice) })).statusCode, 404, 'and so is the row');
  t.match(world.store.recordings.audit(), [{ actor: 'user:u-ada', action: 'deleted', recordingId: 'rec-1', roomId: 'room-alice', sizeBytes: rec.bytes.length }]);
});

t.test('the list pages with an opaque cursor and filters by room and date; bad input names the field', async (t) => {
  const world = await buildRecordingWorld(t);
  world.clock.now = new Date(ENDED.getTime() + DAY);
  for (let i = 0; i < 3; i++) await world.addRecording(`rec-${String(i)}`, new Date(ENDED.getTime() + i * 3_600_000));
  const first = (await world.app.inject({ url: '/v1/recordings?limit=2', headers: bearer(KEYS.alice) })).json<{ items: { id: string }[]; nextCursor: string }>();
  t.same(first.items.map((r) => r.id), ['rec-2', 'rec-1'], 'newest first');
  const second = (await world.app.inject({ url: `/v1/recordings?limit=2&cursor=${first.nextCursor}`, headers: bearer(KEYS.alice) })).json<{ items: { id: string }[]; nextCursor: null }>();
  t.same(second, { ...second, nextCursor: null });
  t.same(second.items.map((r) => r.id), ['rec-0']);
  const from = encodeURIComponent(new Date(ENDED.getTime() + 30 * 60_000).toISOString());
  const dated = (await world.app.inject({ url: `/v1/recordings?from=${from}`, headers: bearer(KEYS.alice) })).json<{ items: { id: string }[] }>();
  t.same(dated.items.map((r) => r.id), ['rec-2', 'rec-1'], 'from filters by start time');
  t.same((await world.app.inject({ url: '/v1/recordings?roomId=room-eve', headers: bearer(KEYS.alice) })).json<{ items: unknown[] }>().items, [], 'another room');
  for (const [query, field] of [['cursor=garbage', 'cursor'], ['limit=0', 'limit'], ['from=yesterday', 'from']] as const) {
    const res = await world.app.inject({ url: `/v1/recordings?${query}`, headers: bearer(KEYS.alice) });
    t.equal(res.statusCode, 400, `${query} is 400`);
    t.match(res.json<{ message: string }>().message, field, `the message names ${field}`);
  }
});

t.test('on a fake clock: downloadable at 59 days, expired (410) at 61, file and row gone at 90 with an audit row', async (t) => {
  const world = await buildRecordingWorld(t);
  const rec = await world.addRecording('rec-1', ENDED);
  const job = startRecordingRetention({ store: world.store, clock: () => world.clock.now, logger: pino({ level: 'silent' }), intervalMs: 3_600_000 });
  t.teardown(() => {
    job.stop();
  });
  const audio = () => world.app.inject({ url: '/v1/recordings/rec-1/audio', headers: bearer(KEYS.alice) });

  world.clock.now = new Date(ENDED.getTime() + 59 * DAY);
  t.equal(await job.runOnce(), 0, 'nothing to delete at 59 days');
  t.equal((await audio()).statusCode, 200, 'downloadable at 59 days');

  world.clock.now = new Date(ENDED.getTime() + 61 * DAY);
  t.equal(await job.runOnce(), 0, 'nothing to delete at 61 days');
  const expired = await audio();
  t.equal(expired.statusCode, 410, 'gone for download at 61 days');
  t.equal(expired.json<{ code: string }>().code, 'RECORDING_EXPIRED');
  const listed = (await world.app.inject({ url: '/v1/recordings', headers: bearer(KEYS.alice) })).json<{ items: { id: string; expired: boolean }[] }>();
  t.same(listed.items.map((r) => [r.id, r.expired]), [['rec-1', true]], 'still listed, as expired');

  world.clock.now = new Date(ENDED.getTime() + 90 * DAY);
  t.equal(await job.runOnce(), 1, 'deleted at 90 days');
  t.notOk(existsSync(rec.path), 'the file is gone');
  t.equal(world.store.recordings.get('rec-1'), null, 'the row is gone');
  t.equal((await audio()).statusCode, 404);
  t.match(world.store.recordings.audit(), [{ actor: 'retention-job', action: 'expired-deleted', recordingId: 'rec-1', sizeBytes: rec.bytes.length, durationMs: 1000 }]);
});
