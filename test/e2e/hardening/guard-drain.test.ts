/**
 * The graceful drain on SIGTERM, on the real process: a new INVITE during the drain gets 503
 * with Retry-After (before anything is answered), a caller in the conference hears the
 * closing notice and stays until the grace ends, a caller still in the join IVR hears the
 * notice and is let go, and the process exits 0.
 */
import t from 'tap';
import { header } from '../../support/sip-text.ts';
import { Api } from '../product/support/api.ts';
import { byeWithin, Caller } from '../product/support/caller.ts';
import { DEMO } from '../product/support/product-server.ts';
import { serverEnv, spawnServer, tempDir, waitForBanner } from '../process/support/server-process.ts';

const GRACE_SECONDS = 10;
const KEY = 'drain-test-key-0123456789abcdefghij';

t.test('SIGTERM drains: 503 Retry-After for new calls, a notice for calls up, hang-up after the grace, exit 0', async (t) => {
  t.setTimeout(120_000);
  const server = spawnServer(t, serverEnv(tempDir(t), { DRAIN_GRACE_SECONDS: String(GRACE_SECONDS), DEMO_API_KEY: KEY }), { timeoutMs: 100_000 });
  const { sip, httpBase } = await waitForBanner(server);
  const product = { sip };
  const api = new Api({ httpBase, apiKey: KEY });

  const member = await Caller.dial(t, product);
  await member.enterPinAfterWelcome(DEMO.hostPin);
  await member.skipName();
  await api.waitForLegByNumber(member.number, 'joined');
  const inIvr = await Caller.dial(t, product);
  await inIvr.hear('welcome');

  const memberHeardSoFar = member.rtp.receivedSamples;
  const ivrHeardSoFar = inIvr.rtp.receivedSamples;
  const signalledAt = Date.now();
  server.kill('SIGTERM');
  const memberBye = byeWithin(member.call, (GRACE_SECONDS + 30) * 1000);

  const notice = await member.hear('service-closing', memberHeardSoFar, 20_000);
  t.ok(notice.end > notice.start, 'the member hears the closing notice');
  await inIvr.hear('service-closing', ivrHeardSoFar, 20_000);
  t.pass('the caller in the join IVR hears it too');
  t.ok(await byeWithin(inIvr.call, 20_000), 'and is then let go');

  const ready = await fetch(`${httpBase}/readyz`);
  const report = (await ready.json()) as { ready: boolean; checks: { calls?: { ok: boolean } } };
  t.equal(ready.status, 503, '/readyz says not ready during the drain');
  t.equal(report.checks.calls?.ok, false, 'because new calls are refused');

  const late = await Caller.dial(t, product);
  t.equal(late.call.status, 503, 'a new INVITE during the drain is refused 503');
  const retryAfter = late.call.finalResponse === undefined ? '' : header(late.call.finalResponse, 'Retry-After');
  t.match(retryAfter, /^\d+$/, `with Retry-After (${retryAfter})`);

  t.ok(await memberBye, 'the member is hung up');
  const upForMs = Date.now() - signalledAt;
  t.ok(upForMs >= (GRACE_SECONDS - 1) * 1000, `only after the grace (${String(upForMs)} ms after SIGTERM)`);
  const exit = await server.exited;
  t.equal(exit.code, 0, 'the server exits 0');
  t.notMatch(exit.stderr, /Error|at .*\.ts:\d+/, 'with no error on stderr');
});
