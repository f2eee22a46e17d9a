/**
 * Start-up failures as an operator sees them: one line on stderr saying what and where, no
 * stack trace, exit code 1 for a run-time failure (a port in use, an unusable DATA_DIR) and
 * 2 for bad settings.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { serverEnv, spawnServer, tempDir, type SpawnServerOptions } from './support/server-process.ts';

t.jobs = 3;

async function failedStart(t: Test, env: NodeJS.ProcessEnv, options: SpawnServerOptions = {}): Promise<{ code: number | null; lines: string[] }> {
  const exit = await spawnServer(t, env, { timeoutMs: 30_000, ...options }).exited;
  const lines = exit.stderr.split('\n').filter((l) => l.trim() !== '');
  t.notMatch(exit.stderr, /^\s+at /m, 'no stack trace');
  t.equal(exit.stdout.includes('dialbridge is running'), false, 'the banner is not printed');
  return { code: exit.code, lines };
}

t.test('SIP port in use: one line naming address, port, transport and errno; exit 1', async (t) => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => socket.close(() => { resolve(); })));
  const port = socket.address().port;
  const { code, lines } = await failedStart(t, serverEnv(tempDir(t), { SIP_LISTEN: `127.0.0.1:${String(port)}` }));
  t.same(lines, [`dialbridge: cannot start: SIP 127.0.0.1:${String(port)}/udp is in use (EADDRINUSE)`]);
  t.equal(code, 1);
});

t.test('HTTP port in use: one line naming it; exit 1', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => { resolve(); })));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const { code, lines } = await failedStart(t, serverEnv(tempDir(t), { HTTP_LISTEN: `127.0.0.1:${String(port)}` }));
  t.same(lines, [`dialbridge: cannot start: HTTP 127.0.0.1:${String(port)}/tcp is in use (EADDRINUSE)`]);
  t.equal(code, 1);
});

t.test('a DATA_DIR that is a file is named as such; exit 1', async (t) => {
  const file = join(tempDir(t), 'data');
  writeFileSync(file, 'not a directory');
  const { code, lines } = await failedStart(t, serverEnv(file));
  t.same(lines, [`dialbridge: cannot start: DATA_DIR ${file} is not a directory (it is a file)`]);
  t.equal(code, 1);
});

t.test('a DATA_DIR below a file says a part of the path is a file (not ENOENT)', async (t) => {
  const file = join(tempDir(t), 'data');
  writeFileSync(file, 'not a directory');
  const dir = join(file, 'inner');
  const { code, lines } = await failedStart(t, serverEnv(dir));
  t.same(lines, [`dialbridge: cannot start: DATA_DIR ${dir} cannot be created: a part of the path is a file, not a directory (ENOTDIR)`]);
  t.equal(code, 1);
});

t.test('a DATA_DIR this user may not write says permission denied; exit 1', async (t) => {
  const parent = tempDir(t);
  const dir = join(parent, 'data');
  mkdirSync(dir);
  chmodSync(parent, 0o755);
  // root may write anywhere: run the server as nobody instead (setpriv), else drop the write bit.
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(dir, 0o555);
  t.teardown(() => { chmodSync(dir, 0o755); });
  // `env -u NODE_OPTIONS`: tap's process-info hook would try to write its record as nobody.
  const prefix = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', '-u', 'NODE_OPTIONS'] : [];
  const { code, lines } = await failedStart(t, serverEnv(dir), { prefix });
  t.same(lines, [`dialbridge: cannot start: DATA_DIR ${dir} is not writable: permission denied (EACCES)`]);
  t.equal(code, 1);
});

const canMountReadOnly = spawnSync('unshare', ['-m', 'true']).status === 0;

t.test('a DATA_DIR on a read-only filesystem says so; exit 1', { skip: canMountReadOnly ? false : 'needs unshare -m (root) to mount a read-only filesystem' }, async (t) => {
  const dir = join(tempDir(t), 'data');
  mkdirSync(dir);
  // A private mount namespace: the directory is bind-mounted read-only for the server only.
  const script = 'mount --bind -o ro "$DATA_DIR" "$DATA_DIR" && exec "$@"';
  const { code, lines } = await failedStart(t, serverEnv(dir), { prefix: ['unshare', '-m', 'sh', '-c', script, 'sh'] });
  t.same(lines, [`dialbridge: cannot start: DATA_DIR ${dir} is not writable: it is on a read-only filesystem (EROFS)`]);
  t.equal(code, 1);
});

t.test('bad settings: every problem listed, exit 2', async (t) => {
  const { code, lines } = await failedStart(t, serverEnv(tempDir(t), { SIP_LISTEN: 'nowhere', LOG_LEVEL: 'loud' }));
  t.match(lines, ['invalid configuration:', /^\s+SIP_LISTEN: /, /^\s+LOG_LEVEL: /]);
  t.equal(code, 2);
});
