/**
 * `npm start` under a process manager: SIGTERM sent to the npm process (not to node) ends
 * the calls with a BYE and stops the server; a killed npm (SIGKILL, no signal passed on)
 * does not leave node running as an orphan with its calls up — while node started directly
 * and left behind by its shell (nohup … &) keeps running on purpose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { spawnPeer } from '../../support/process-runner.ts';
import { byeWithin, Caller } from '../product/support/caller.ts';
import { childPids, isRunning, REPO_ROOT, serverEnv, spawnServer, tempDir, waitForBanner, waitGone } from './support/server-process.ts';

const KEY = 'signals-test-key-0123456789abcdefgh';

async function serverWithCall(t: Test): Promise<{ npm: ReturnType<typeof spawnServer>; node: number; caller: Caller }> {
  const npm = spawnServer(t, serverEnv(tempDir(t), { DEMO_API_KEY: KEY }), { launcher: 'npm' });
  const addresses = await waitForBanner(npm);
  const npmPid = npm.pid;
  if (npmPid === undefined) throw new Error('npm has no pid');
  const [node] = childPids(npmPid);
  if (node === undefined) throw new Error('npm start has no child process');
  t.teardown(() => {
    // Only if the test failed: the orphan would otherwise outlive the test.
    if (isRunning(node)) process.kill(node, 'SIGKILL');
  });
  const caller = await Caller.dial(t, { sip: addresses.sip });
  t.equal(caller.call.status, 200, 'the call is answered');
  await caller.hear('welcome');
  return { npm, node, caller };
}

t.test('SIGTERM to the npm process hangs the call up with a BYE and the server exits', async (t) => {
  t.setTimeout(90_000);
  const { npm, node, caller } = await serverWithCall(t);
  npm.kill('SIGTERM');
  t.ok(await byeWithin(caller.call, 15_000), 'the caller receives a BYE');
  const exit = await npm.exited;
  t.equal(exit.code, 0, 'npm start exits 0');
  t.ok(await waitGone(node, 10_000), 'node has exited too');
  t.notMatch(exit.stderr, /Error|at .*\.ts:\d+/, 'no error and no stack trace on stderr');
});

t.test('when npm itself is killed, the server notices its parent is gone, hangs up and exits', async (t) => {
  t.setTimeout(90_000);
  const { npm, node, caller } = await serverWithCall(t);
  npm.kill('SIGKILL');
  t.ok(await byeWithin(caller.call, 15_000), 'the caller receives a BYE');
  t.ok(await waitGone(node, 15_000), 'the orphaned node process exits');
});

t.test('node started directly by a shell that exits (nohup … &) keeps running: only npm start follows its parent', async (t) => {
  t.setTimeout(60_000);
  const dir = tempDir(t);
  const log = join(dir, 'out.log');
  const env = serverEnv(join(dir, 'data'), { DEMO_API_KEY: KEY });
  const shell = spawnPeer('sh', ['-c', `"$0" --import tsx src/main.ts >"${log}" 2>&1 & echo $!`, process.execPath], { cwd: REPO_ROOT, env, timeoutMs: 20_000 });
  const exit = await shell.exited;
  const node = Number(exit.stdout.trim());
  t.ok(node > 0, 'the shell started node and exited');
  t.teardown(async () => {
    if (isRunning(node)) process.kill(node, 'SIGKILL');
    await waitGone(node, 5000);
  });
  const deadline = Date.now() + 30_000;
  while (!/API:\s+http:\/\/\S+\/v1\/rooms/.test(readLog(log)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const http = /API:\s+(http:\/\/[\d.]+:\d+)\/v1\/rooms/.exec(readLog(log))?.[1];
  t.type(http, 'string', 'the orphaned server started');
  // Several parent checks (one a second) pass while the server is an orphan.
  await new Promise((r) => setTimeout(r, 2500));
  t.ok(isRunning(node), 'it is still running');
  const health = await fetch(`${http ?? ''}/healthz`);
  t.equal(health.status, 200, 'and answering');
  process.kill(node, 'SIGTERM');
  t.ok(await waitGone(node, 15_000), 'SIGTERM still stops it');
});

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
