import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import t from 'tap';
import { WavWriter } from '../../../src/engines/embedded/media/wav-writer.ts';
import { openStore } from '../../../src/storage/open-store.ts';
import { recoverInterruptedRecordings } from '../../../src/storage/recover-recordings.ts';

const run = promisify(execFile);

t.test('a recording cut short by a crash is a playable file at the next start, marked cut short', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'recovery-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const store = openStore(join(dir, 'db.sqlite'), Buffer.alloc(32, 3));
  t.teardown(() => {
    store.close();
  });
  const at = new Date('2026-05-01T10:00:00Z');
  store.accounts.create({ id: 'a', name: 'A' }, at);
  store.users.create({ id: 'u', accountId: 'a', name: 'U', role: 'host', email: 'u@example.com' }, at);
  store.serviceNumbers.create({ number: '1', accountId: 'a', label: null }, at);
  const pin = (digits: string): { hash: string; length: number } => ({ hash: store.hashPin(digits), length: digits.length });
  store.rooms.create({ id: 'r', accountId: 'a', ownerUserId: 'u', name: 'R', serviceNumber: '1', participantPin: pin('1111'), hostPin: pin('2222') }, at);
  store.conferences.insert({ id: 'c', roomId: 'r', startedAt: at, endedAt: null, endReason: null, locked: false, billingCode: null });
  const path = join(dir, 'c.wav');
  // The writer flushes 2 s of a tone in 1 s batches and is then abandoned, as a crash would leave it:
  // the header still says zero bytes.
  const writer = await WavWriter.create(path, { encoding: 'ulaw' });
  const frame = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  for (let f = 0; f < 150; f++) writer.append(frame);
  for (let i = 0; i < 50 && statSync(path).size < 58 + 16000; i++) await new Promise((r) => setTimeout(r, 20));
  store.recordings.save({
    id: 'rec', roomId: 'r', accountId: 'a', conferenceId: 'c', startedBy: 'user:u', startedAt: at, stoppedAt: null,
    pausedMs: 0, pausedSince: null, durationMs: null, sizeBytes: null, sha256: null, path, encoding: null, state: 'recording', cutShort: false,
  });
  t.equal(await recoverInterruptedRecordings(store, new Date(at.getTime() + 5000), pino({ level: 'silent' })), 1);
  const r = store.recordings.get('rec');
  t.equal(r?.state, 'done');
  t.equal(r?.cutShort, true, 'marked cut short');
  t.equal(r?.durationMs, 2000, 'the two seconds that reached the disk');
  t.equal(r?.sizeBytes, 58 + 16000);
  t.match(r?.sha256, /^[0-9a-f]{64}$/);
  const { stdout } = await run('soxi', [path]);
  t.match(stdout, /Duration\s*:\s*00:00:02\.00 = 16000 samples/, 'sox reads the repaired header');
  t.equal(await recoverInterruptedRecordings(store, new Date(), pino({ level: 'silent' })), 0, 'nothing left to recover');
  await writer.finish().catch(() => undefined);
});
