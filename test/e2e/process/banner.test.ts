/**
 * The start-up banner and the demo API key: the first start generates the key, prints it and
 * says so; later starts say where it is kept and never print it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { serverEnv, spawnServer, tempDir, waitForBanner } from './support/server-process.ts';

t.test('the key is printed once, as generated; a restart says it is kept in DATA_DIR/demo-api-key', async (t) => {
  t.setTimeout(90_000);
  const dataDir = tempDir(t);
  const first = spawnServer(t, serverEnv(dataDir));
  const { httpBase } = await waitForBanner(first);
  const file = join(dataDir, 'demo-api-key');
  const key = readFileSync(file, 'utf8').trim();
  t.match(first.stdout, `API key:          ${key}   (generated now; kept in ${file})`);
  t.match(first.stdout, `(UDP)`, 'SIP over UDP only, as SIP_TCP=false says');
  const rooms = await fetch(`${httpBase}/v1/rooms`, { headers: { authorization: `Bearer ${key}` } });
  t.equal(rooms.status, 200, 'the printed key works');
  t.equal((await first.stop(10_000)).code, 0);

  const second = spawnServer(t, serverEnv(dataDir));
  await waitForBanner(second);
  t.match(second.stdout, `API key:          kept in ${file}`);
  t.notMatch(second.stdout, /generated/, 'not "generated" again');
  t.equal(second.stdout.includes(key), false, 'the key itself is not printed again');
  t.match(second.stdout, `Bearer $(cat ${file})`, 'the example reads it from the file');
  t.equal((await second.stop(10_000)).code, 0);
});

t.test('a key from DEMO_API_KEY is never printed', async (t) => {
  t.setTimeout(60_000);
  const key = 'banner-test-key-0123456789abcdefghij';
  const proc = spawnServer(t, serverEnv(tempDir(t), { DEMO_API_KEY: key }));
  await waitForBanner(proc);
  t.match(proc.stdout, 'API key:          the value of DEMO_API_KEY');
  t.equal(proc.stdout.includes(key), false);
  t.equal((await proc.stop(10_000)).code, 0);
});
