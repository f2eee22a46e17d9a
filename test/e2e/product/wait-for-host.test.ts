/**
 * A room that waits for its host, end to end: the first participant is told the conference
 * begins when the host joins and hears music; when the host arrives both are in the room
 * and hear each other (tone energy), and the music has stopped.
 */
import t from 'tap';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { waitForPrompt } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { levelOf } from './support/tone-level.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const product = await startProductServer(t, { engine, rtpBase: 28600, roomSettings: { waitForHost: true } });
  const api = new Api(product);

  t.test('a participant hears the wait music until the host joins, then both are joined and hear each other', async (t) => {
    t.setTimeout(90_000);
    const participant = await Caller.dial(t, product);
    t.equal(participant.call.status, 200);
    await participant.enterPinAfterWelcome(DEMO.participantPin);
    const sayName = await participant.skipName();
    const notice = await participant.hear('wait-for-host', sayName.end);
    t.pass('the participant hears "the conference will begin when the host joins"');

    // The host walks the IVR meanwhile; the music must be heard before the host is in.
    const hostJoining = (async () => {
      const host = await Caller.dial(t, product);
      await host.enterPinAfterWelcome(DEMO.hostPin);
      await host.skipName();
      return host;
    })();
    const music = await waitForPrompt(participant.rtp, 'hold-music', { from: notice.end - 8000, atSeconds: 1, timeoutMs: 10_000 });
    t.pass(`then the wait music (correlation ${music.score.toFixed(2)})`);
    const waiting = await api.waitForLegByNumber(participant.number, 'waiting-for-host', 2000);
    t.equal(waiting.joinedAt, null, 'the live view shows the participant waiting for the host, not joined');

    const host = await hostJoining;
    const hostLeg = await api.waitForLegByNumber(host.number, 'joined', 20_000);
    t.equal(hostLeg.role, 'host', 'the host joins as host');
    const guestLeg = await api.waitForLegByNumber(participant.number, 'joined', 10_000);
    t.equal(guestLeg.role, 'participant', 'and the participant is joined too');

    // Let the entry announcements pass, then listen: no music any more, only the room.
    await new Promise((r) => setTimeout(r, 2500));
    const quiet = await levelOf(participant.rtp, 392, 1000, 0);
    t.ok(quiet < 120, `the music has stopped for the participant (392 Hz level ${quiet.toFixed(0)})`);
    participant.talk(440);
    host.talk(1800);
    const [hostHears, participantHears] = await Promise.all([levelOf(host.rtp, 440), levelOf(participant.rtp, 1800)]);
    t.ok(hostHears > 1500, `the host hears the participant (level ${hostHears.toFixed(0)})`);
    t.ok(participantHears > 1500, `the participant hears the host (level ${participantHears.toFixed(0)})`);
  });
});
