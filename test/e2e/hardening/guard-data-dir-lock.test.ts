/**
 * One server per DATA_DIR: while a server runs with a live conference, a second start on
 * the same directory exits 1 with one line naming the directory, and the first server's
 * state is untouched — its conference still runs (API and database), its caller is still in.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Api } from '../product/support/api.ts';
import { byeWithin, Caller } from '../product/support/caller.ts';
import { DEMO, startProductServer } from '../product/support/product-server.ts';
import { serverEnv, spawnServer } from '../process/support/server-process.ts';

t.test('a second server on the same DATA_DIR exits 1 and leaves the running conference alone', async (t) => {
  t.setTimeout(90_000);
  const product = await startProductServer(t, { rtpBase: 33000, roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false } });
  const api = new Api(product);
  const caller = await Caller.dial(t, product);
  t.equal(caller.call.status, 200);
  await caller.enterPinAfterWelcome(DEMO.participantPin);
  await caller.skipName();
  const before = await api.waitForLegByNumber(caller.number, 'joined');
  const conferenceId = (await api.live())?.id;
  t.ok(conferenceId, 'a conference runs on the first server');

  const second = await spawnServer(t, serverEnv(product.dataDir), { timeoutMs: 30_000 }).exited;
  const lines = second.stderr.split('\n').filter((l) => l.trim() !== '');
  t.equal(second.code, 1, 'the second start exits 1');
  t.same(lines, [`dialbridge: cannot start: DATA_DIR ${product.dataDir} is in use by another dialbridge server (dialbridge.lock is locked); stop it first or use another DATA_DIR`], 'with one line that names the directory');
  t.notOk(second.stdout.includes('dialbridge is running'), 'and no banner');

  const after = await api.live();
  t.equal(after?.id, conferenceId, 'the first server still shows the same conference');
  t.equal(after?.legs.find((l) => l.id === before.id)?.state, 'joined', 'with its caller still joined');
  const db = new Database(join(product.dataDir, 'dialbridge.sqlite'), { readonly: true });
  t.teardown(() => db.close());
  const row = db.prepare('SELECT ended_at, end_reason FROM conferences WHERE id = ?').get(conferenceId) as { ended_at: string | null; end_reason: string | null } | undefined;
  t.same(row, { ended_at: null, end_reason: null }, 'the stored conference is not marked ended by a restart');
  t.notOk(await byeWithin(caller.call, 1500), 'the caller gets no BYE');
  t.notOk(readdirSync(product.dataDir).some((name) => name.startsWith('dialbridge.lock-')), 'the lock leaves no journal file beside it');
});
