/**
 * `npm start` under a process manager: SIGTERM sent to the npm process (not to node) ends
 * the calls with a BYE and stops the server; a killed npm (SIGKILL, no signal passed on)
 * does not leave node running as an orphan with its calls up.
 */
import t, { type Test } from 'tap';
import { byeWithin, Caller } from '../product/support/caller.ts';
import { childPids, isRunning, serverEnv, spawnServer, tempDir, waitForBanner, waitGone } from './support/server-process.ts';

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
