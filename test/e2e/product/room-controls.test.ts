/**
 * What a host's controls do to real calls: two callers in the room send different tones,
 * and each control is judged by what the other caller hears (tone energy), by the prompts
 * the controlled caller hears, by SIP, and by the live view and its event stream.
 */
import t from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api } from './support/api.ts';
import { byeWithin, Caller } from './support/caller.ts';
import { promptScore, waitForPrompt, type PromptHeard } from './support/prompt-listener.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { levelOf } from './support/tone-level.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  /** Tone each caller "speaks", and the level a clear path gives (8000 peak → ~5657 RMS). */
  // Both well above the hold music (chords under 800 Hz) and apart from the entry tones and beep.
  const HOST_HZ = 1250;
  const GUEST_HZ = 1800;
  const HEARD = 1500;
  const SILENT = 120;

  // No entry tones or name announcements: they are not under test here and would colour the levels.
  const product = await startProductServer(t, {
    engine,
    rtpBase: 28200,
    roomSettings: { waitForHost: false, entryExitTones: false, announceNames: false },
  });
  const api = new Api(product);

  async function join(pin: string): Promise<{ caller: Caller; leg: LiveLegBody }> {
    const caller = await Caller.dial(t, product);
    if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
    await caller.enterPinAfterWelcome(pin);
    await caller.skipName();
    const leg = await api.waitForLegByNumber(caller.number, 'joined');
    return { caller, leg };
  }

  const [hostSide, guestSide] = await Promise.all([join(DEMO.hostPin), join(DEMO.participantPin)]);
  const host = hostSide.caller;
  const guest = guestSide.caller;
  const guestLegId = guestSide.leg.id;
  host.talk(HOST_HZ);
  guest.talk(GUEST_HZ);

  /**
   * Waits for the guest to hear a feedback prompt. Prompts to a member are mixed over the
   * room, so the host falls silent meanwhile (the room audio would drown the correlation).
   */
  async function guestHears(name: string, from: number): Promise<void> {
    host.hush();
    try {
      await guest.hear(name, from, 8000);
    } finally {
      host.talk(HOST_HZ);
    }
  }

  /** Waits for the guest to hear an announcement to the whole room (the host silent meanwhile). */
  async function guestHearsAnnouncement(name: string, from: number): Promise<PromptHeard> {
    host.hush();
    try {
      return await guest.hear(name, from, 8000);
    } finally {
      host.talk(HOST_HZ);
    }
  }

  async function hostHearsGuest(): Promise<number> {
    return levelOf(host.rtp, GUEST_HZ);
  }
  async function guestHearsHost(): Promise<number> {
    return levelOf(guest.rtp, HOST_HZ);
  }

  t.test('two joined callers hear each other', async (t) => {
    t.setTimeout(20_000);
    const a = await hostHearsGuest();
    const b = await guestHearsHost();
    t.ok(a > HEARD, `the host hears the guest (level ${a.toFixed(0)})`);
    t.ok(b > HEARD, `the guest hears the host (level ${b.toFixed(0)})`);
  });

  t.test('keypad 1 mutes the caller for the others ("you are muted"), and 1 again unmutes', async (t) => {
    t.setTimeout(30_000);
    t.teardown(() => api.legCommand(guestLegId, 'unmute'));
    host.hush();
    let mark = guest.rtp.receivedSamples;
    await guest.keys('1');
    await guestHears('you-are-muted', mark);
    t.pass('the caller hears "you are muted"');
    const muted = await hostHearsGuest();
    t.ok(muted < SILENT, `the host no longer hears the guest (level ${muted.toFixed(0)})`);
    const leg = await api.waitForLive((c) => c?.legs.find((l) => l.id === guestLegId && l.muted));
    t.equal(leg.muted, true, 'the live view shows the leg muted');
    host.hush();
    mark = guest.rtp.receivedSamples;
    await guest.keys('1');
    await guestHears('you-are-unmuted', mark);
    t.pass('then "you are unmuted"');
    const back = await hostHearsGuest();
    t.ok(back > HEARD, `after 1 again the host hears the guest (level ${back.toFixed(0)})`);
  });

  t.test('API mute silences the leg for the others, API unmute restores it', async (t) => {
    t.setTimeout(30_000);
    t.teardown(() => api.legCommand(guestLegId, 'unmute'));
    host.hush();
    let mark = guest.rtp.receivedSamples;
    const answer = await api.legCommand(guestLegId, 'mute');
    t.equal(answer.status, 204, 'mute is answered 204');
    await guestHears('muted-by-host', mark);
    t.pass('the muted caller hears "you have been muted by the host"');
    const muted = await hostHearsGuest();
    t.ok(muted < SILENT, `the host no longer hears the guest (level ${muted.toFixed(0)})`);
    const stillHears = await guestHearsHost();
    t.ok(stillHears > HEARD, `the muted guest still hears the host (level ${stillHears.toFixed(0)})`);
    const leg = await api.waitForLive((c) => c?.legs.find((l) => l.id === guestLegId && l.muted));
    t.equal(leg.muted, true, 'the live view shows the leg muted');
    host.hush();
    mark = guest.rtp.receivedSamples;
    t.equal((await api.legCommand(guestLegId, 'unmute')).status, 204, 'unmute is answered 204');
    await guestHears('unmuted-by-host', mark);
    const back = await hostHearsGuest();
    t.ok(back > HEARD, `after unmute the host hears the guest again (level ${back.toFixed(0)})`);
  });

  t.test('API hold isolates the leg both ways, unhold brings it back', async (t) => {
    t.setTimeout(30_000);
    t.teardown(() => api.legCommand(guestLegId, 'unhold'));
    const mark = guest.rtp.receivedSamples;
    t.equal((await api.legCommand(guestLegId, 'hold')).status, 204, 'hold is answered 204');
    const music = await waitForPrompt(guest.rtp, 'hold-music', { from: mark, atSeconds: 1, timeoutMs: 6000 });
    t.pass(`the held caller hears the hold music (correlation ${music.score.toFixed(2)})`);
    const [a, b] = await Promise.all([hostHearsGuest(), guestHearsHost()]);
    t.ok(a < SILENT, `the host does not hear the held guest (level ${a.toFixed(0)})`);
    t.ok(b < SILENT, `the held guest does not hear the host (level ${b.toFixed(0)})`);
    const leg = await api.waitForLive((c) => c?.legs.find((l) => l.id === guestLegId && l.state === 'held'));
    t.equal(leg.held, true, 'the live view shows the leg held');
    t.equal((await api.legCommand(guestLegId, 'unhold')).status, 204, 'unhold is answered 204');
    const [c, d] = await Promise.all([hostHearsGuest(), guestHearsHost()]);
    t.ok(c > HEARD, `after unhold the host hears the guest (level ${c.toFixed(0)})`);
    t.ok(d > HEARD, `after unhold the guest hears the host (level ${d.toFixed(0)})`);
    await api.waitForLive((c2) => c2?.legs.find((l) => l.id === guestLegId && l.state === 'joined'));
  });

  t.test('renaming a leg (PATCH) shows the new name in the live view and in the event stream', async (t) => {
    t.setTimeout(20_000);
    const stream = await api.stream();
    t.teardown(() => {
      stream.close();
    });
    await stream.waitFor((event) => event === 'snapshot', 5000, 'the snapshot');
    const answer = await api.rename(guestLegId, '  Ada Lovelace ');
    t.equal(answer.status, 204, 'rename is answered 204');
    const leg = await api.waitForLive((c) => c?.legs.find((l) => l.id === guestLegId && l.name === 'Ada Lovelace'), 5000, 'renamed leg');
    t.equal(leg.name, 'Ada Lovelace', 'the live view shows the new name (trimmed)');
    await stream.waitFor(
      (event, data) => event === 'leg-updated' && (data as { leg: LiveLegBody }).leg.id === guestLegId && (data as { leg: LiveLegBody }).leg.name === 'Ada Lovelace',
      5000,
      'leg-updated with the new name',
    );
    t.pass('the stream reports the leg with its new name');
    t.equal((await api.rename(guestLegId, '   ')).status, 400, 'a blank name is refused 400');
  });

  t.test('a locked conference refuses the next caller with "room locked" and a BYE', async (t) => {
    t.setTimeout(40_000);
    t.equal((await api.roomCommand('lock')).status, 204, 'lock is answered 204');
    const view = await api.waitForLive((c) => (c?.locked === true ? c : undefined), 5000, 'locked');
    t.equal(view.locked, true, 'the live view shows the conference locked');
    const late = await Caller.dial(t, product);
    t.equal(late.call.status, 200);
    const welcome = await late.enterPinAfterWelcome(DEMO.participantPin);
    const locked = await late.hear('room-locked', welcome.end);
    t.pass('the late caller hears "the conference is locked"');
    await late.hear('goodbye', locked.end);
    t.ok(await byeWithin(late.call, 10_000), 'and gets a BYE');
    t.ok(promptScore(late.rtp, 'say-name') < 0.5, 'the late caller was never asked for a name');
    const after = await api.live();
    t.notOk(after?.legs.some((l) => l.number === late.number), 'the refused caller is not in the live view');
    const beforeUnlock = guest.rtp.receivedSamples;
    t.equal((await api.roomCommand('unlock')).status, 204, 'unlock is answered 204');
    // Let the announcement end, so that it does not overlap what the next test listens for.
    await guest.after(await guestHearsAnnouncement('conference-unlocked', beforeUnlock));
  });

  t.test('a leg dropped via the API hears "you have been removed from the conference", then gets a BYE and leaves the live view', async (t) => {
    t.setTimeout(30_000);
    const from = guest.rtp.receivedSamples;
    host.hush();
    guest.hush();
    const notice = guest.hear('removed-by-host', from, 10_000);
    t.equal((await api.legCommand(guestLegId, 'drop')).status, 204, 'drop is answered 204');
    await notice;
    t.pass('the dropped caller heard the notice (audio that can only arrive before the BYE)');
    t.ok(await byeWithin(guest.call, 5000), 'the dropped caller gets a BYE');
    host.talk(HOST_HZ);
    await api.waitForLive((c) => (c !== null && !c.legs.some((l) => l.id === guestLegId) ? true : undefined), 5000, 'leg gone');
    t.pass('the leg is gone from the live view');
    t.notOk(host.call.ended, 'the host stays on the call');
  });

  t.test('ending the conference via the API announces it, hangs everyone up and empties the live view', async (t) => {
    t.setTimeout(30_000);
    const stream = await api.stream();
    t.teardown(() => {
      stream.close();
    });
    await stream.waitFor((event) => event === 'snapshot', 5000, 'the snapshot');
    host.hush();
    const mark = host.rtp.receivedSamples;
    t.equal((await api.roomCommand('end')).status, 204, 'end is answered 204');
    await host.hear('conference-ending', mark, 10_000);
    t.pass('the members hear "the conference is ending"');
    t.ok(await byeWithin(host.call, 10_000), 'then get a BYE');
    const ended = (await stream.waitFor((event) => event === 'conference-ended', 5000, 'conference-ended')) as { reason: string };
    t.equal(ended.reason, 'ended-by-host', 'the stream reports the end with its reason');
    t.equal(await api.live(), null, 'the live view shows no conference');
    t.equal((await api.roomCommand('lock')).status, 409, 'a command on the ended conference is answered 409');
  });
});
