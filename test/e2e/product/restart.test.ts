/**
 * A crash leaves a conference half-open in the database; the next start closes it. The
 * first server is a real process (`src/main.ts`) killed with SIGKILL mid-conference — no
 * graceful close of any kind — and the second starts in-process on the same DATA_DIR.
 */
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { spawnPeer } from '../../support/process-runner.ts';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { DEMO, openSideStore, seedRoom, startProductServer, tempDataDir, TEST_API_KEY } from './support/product-server.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  const RTP_BASE = 29000;

  t.test('a restart closes the conference a crash left open, and its legs, with reason server-restart', async (t) => {
    t.setTimeout(60_000);
    const dataDir = tempDataDir(t);
    seedRoom(dataDir, { waitForHost: false });

    const child = spawnPeer(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      timeoutMs: 50_000,
      env: {
        ...process.env,
        SIP_LISTEN: '127.0.0.1:0',
        SIP_TCP: 'false',
        HTTP_LISTEN: '127.0.0.1:0',
        DATA_DIR: dataDir,
        RTP_PORT_MIN: String(RTP_BASE + 100),
        RTP_PORT_MAX: String(RTP_BASE + 199),
        DEMO_API_KEY: TEST_API_KEY,
        LOG_LEVEL: 'silent',
        ...engine.env,
      },
    });
    t.teardown(async () => {
      child.kill('SIGKILL');
      await child.exited;
    });
    await child.waitForOutput(/API:\s+http:\/\/127\.0\.0\.1:\d+/, 20_000);
    const sipPort = Number(/Dial:\s+sip:\d+@127\.0\.0\.1:(\d+)/.exec(child.stdout)?.[1]);
    const httpBase = /API:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(child.stdout)?.[1] ?? '';
    t.ok(sipPort > 0 && httpBase !== '', 'the first server printed where to dial and its API');

    const first = new Api({ httpBase, apiKey: TEST_API_KEY });
    const caller = await Caller.dial(t, { sip: { host: '127.0.0.1', port: sipPort } });
    t.equal(caller.call.status, 200);
    await caller.enterPinAfterWelcome(DEMO.participantPin);
    await caller.skipName();
    const leg = await first.waitForLegByNumber(caller.number, 'joined');
    const conference = await first.live();
    const conferenceId = conference?.id ?? '';
    t.not(conferenceId, '', 'a conference is running with the caller in it');

    child.kill('SIGKILL');
    caller.abandon();
    const exit = await child.exited;
    t.equal(exit.signal, 'SIGKILL', 'the first server is killed, no graceful close');
    const side = openSideStore(t, dataDir);
    t.ok(side.conferences.open().some((c) => c.id === conferenceId), 'the crash left the conference open in the database');

    const second = await startProductServer(t, { engine, rtpBase: RTP_BASE, dataDir });
    const closed = side.conferences.get(conferenceId);
    t.equal(closed?.endReason, 'server-restart', 'the restart closed it with reason server-restart');
    t.type(closed?.endedAt, Date, 'and an end time');
    t.same(side.conferences.open(), [], 'no conference is left open');
    const left = side.legs.get(leg.id);
    t.equal(left?.state, 'left', 'the leg is marked left');
    t.equal(left?.leftReason, 'server-restart', 'with reason server-restart');
    t.equal(await new Api(second).live(), null, 'the new server shows no running conference');
  });
});
