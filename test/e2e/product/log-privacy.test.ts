/**
 * The log at LOG_LEVEL=trace over a whole call, end to end: a caller withholds their number
 * (it arrives only in P-Asserted-Identity with Privacy: id, with a display name), keys a PIN,
 * records a spoken name and is renamed by the host; then the server stops. Not one line of
 * what the real logger wrote holds the number's digits, the PIN or a name; neither the log
 * nor the database holds the API keys in clear.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createLogger } from '../../../src/observability/logger.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { DEMO, startProductServer, TEST_API_KEY, TEST_OPERATOR_KEY } from './support/product-server.ts';

const PIN = '730519';
const HIDDEN = '+4930555099871';
const DISPLAY = 'Jane Secretwoman';
const RENAMED = 'Janet Hiddenname';

t.test('no log line at trace holds the withheld number, the PIN or the names', async (t) => {
  t.setTimeout(90_000);
  const lines: string[] = [];
  const logger = createLogger('trace', { write: (line: string) => lines.push(line) });
  const product = await startProductServer(t, {
    rtpBase: 32400,
    roomSettings: { waitForHost: false, announceNames: true },
    env: { DEMO_PARTICIPANT_PIN: PIN, LOG_LEVEL: 'trace' },
    logger,
  });
  const api = new Api(product);

  const caller = await Caller.dial(t, product, {
    from: 'anonymous',
    fromDisplayName: 'Anonymous',
    headers: [
      ['P-Asserted-Identity', `"${DISPLAY}" <sip:${HIDDEN}@127.0.0.1;user=phone>`],
      ['Privacy', 'id'],
    ],
  });
  t.equal(caller.call.status, 200, 'the call is answered');
  await caller.enterPinAfterWelcome(PIN);
  await caller.speakName(1400, 1.0);
  const leg = await api.waitForLive((c) => c?.legs.find((l) => l.state === 'joined'), 20_000, 'the caller joined');
  t.equal(leg.numberWithheld, true, 'the number is withheld in the live view');
  t.equal(leg.hasSpokenName, true, 'with a spoken name');
  t.equal((await api.rename(leg.id, RENAMED)).status, 204, 'the host renames the leg');
  await caller.hangup();
  await api.waitForLive((c) => (c === null || c.legs.every((l) => l.id !== leg.id || l.state === 'left') ? true : undefined), 20_000, 'the leg left');
  await product.close();

  if (process.env.LOG_DUMP !== undefined) (await import('node:fs')).writeFileSync(process.env.LOG_DUMP, lines.join(''));
  t.ok(lines.length > 10, `the server logged at trace (${String(lines.length)} lines)`);
  t.ok(lines.some((l) => l.includes('"call offered"')) && lines.some((l) => l.includes('"PIN accepted"')), 'including the call and the PIN step');
  const digits = HIDDEN.slice(1);
  for (const [i, raw] of lines.entries()) {
    // The line without its timestamp and pid, whose digits are the clock's, not the caller's.
    const { time: _time, pid: _pid, ...rest } = JSON.parse(raw) as Record<string, unknown>;
    const line = JSON.stringify(rest);
    for (const secret of [digits, digits.slice(-7), PIN, DISPLAY, 'Secretwoman', RENAMED, 'Hiddenname', TEST_API_KEY, TEST_OPERATOR_KEY]) {
      if (line.includes(secret)) t.fail(`log line ${String(i)} holds "${secret}": ${line}`);
    }
  }
  t.pass('no line holds the number, the PIN, a name or a key');

  const db = join(product.dataDir, 'dialbridge.sqlite');
  const bytes = readFileSync(db).toString('latin1') + (existsSync(`${db}-wal`) ? readFileSync(`${db}-wal`).toString('latin1') : '');
  for (const secret of [PIN, DEMO.hostPin, TEST_API_KEY, TEST_OPERATOR_KEY]) {
    t.notOk(bytes.includes(secret), `the database holds no clear "${secret.slice(0, 4)}…" (PINs and keys are hashed)`);
  }
});
