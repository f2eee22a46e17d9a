/**
 * A spoken name is personal data: a name recording a crash cut short (kill -9 while the
 * caller is speaking their name) is deleted when the server starts again, and so is the
 * kept clip of a caller whose conference the crash ended.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { spawnPeer } from '../../support/process-runner.ts';
import { silenceSource, tone, pcmSource } from '../../support/tone.ts';
import { Api } from '../product/support/api.ts';
import { Caller } from '../product/support/caller.ts';
import { DEMO, seedRoom, startProductServer, tempDataDir, TEST_API_KEY, TEST_SERVER_SECRET } from '../product/support/product-server.ts';
import { REPO_ROOT } from '../process/support/server-process.ts';

const RTP_BASE = 33600;

t.test('name clips left by a crash are deleted at the next start', async (t) => {
  t.setTimeout(90_000);
  const dataDir = tempDataDir(t);
  seedRoom(dataDir, { waitForHost: false, entryExitTones: false, announceNames: false });
  const child = spawnPeer(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    timeoutMs: 80_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TSX_DISABLE_CACHE: '1',
      SIP_LISTEN: '127.0.0.1:0',
      SIP_TCP: 'false',
      HTTP_LISTEN: '127.0.0.1:0',
      DATA_DIR: dataDir,
      RTP_PORT_MIN: String(RTP_BASE + 100),
      RTP_PORT_MAX: String(RTP_BASE + 199),
      DEMO_API_KEY: TEST_API_KEY,
      SERVER_SECRET: TEST_SERVER_SECRET.toString('hex'),
      NAME_RECORD_SECONDS: '10',
      LOG_LEVEL: 'silent',
    },
  });
  t.teardown(async () => {
    child.kill('SIGKILL');
    await child.exited;
  });
  await child.waitForOutput(/API:\s+http:\/\/127\.0\.0\.1:\d+/, 30_000);
  const sip = { host: '127.0.0.1', port: Number(/Dial:\s+sip:\d+@127\.0\.0\.1:(\d+)/.exec(child.stdout)?.[1]) };
  const api = new Api({ httpBase: /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(child.stdout)?.[1] ?? '', apiKey: TEST_API_KEY });
  const namesDir = join(dataDir, 'recordings', 'names');

  const kept = await Caller.dial(t, { sip });
  await kept.enterPinAfterWelcome(DEMO.participantPin);
  await kept.speakName(600, 1.5);
  // "You said … press 1 to keep": keep it.
  await kept.hear('keep-or-record-again', 0, 20_000);
  await kept.keys('1');
  await api.waitForLegByNumber(kept.number, 'joined');

  const cut = await Caller.dial(t, { sip });
  await cut.enterPinAfterWelcome(DEMO.participantPin);
  const sayName = await cut.hear('say-name');
  await cut.after(sayName, 400);
  cut.rtp.setSource(pcmSource(tone(800, 20, 10000)));
  // Bounded wait until the recording of the name is on disk (and growing).
  const deadline = Date.now() + 15_000;
  while (readdirSync(namesDir).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const before = readdirSync(namesDir).sort();
  t.equal(before.length, 2, `a kept clip and a clip being recorded are on disk (${before.join(', ')})`);

  child.kill('SIGKILL');
  kept.abandon();
  cut.abandon();
  cut.rtp.setSource(silenceSource);
  t.equal((await child.exited).signal, 'SIGKILL', 'the server is killed mid-recording');

  await startProductServer(t, { rtpBase: RTP_BASE, dataDir });
  for (const file of before) t.notOk(existsSync(join(namesDir, file)), `${file} is gone after the restart`);
  t.same(readdirSync(namesDir), [], 'no spoken name is left');
});
