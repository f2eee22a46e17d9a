/**
 * What others learn about a caller, end to end: a withheld number never reaches the live
 * view or its event stream, and a spoken name is played to the room when its speaker joins
 * (the "name" is a distinctive tone, found by its energy in what another member hears).
 */
import t from 'tap';
import type { LiveLegBody } from '../../../src/http/live-projection.ts';
import { Api } from './support/api.ts';
import { Caller, freshNumber } from './support/caller.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { toneRms } from './support/tone-level.ts';
import { energyFractionWindows } from '../../support/audio-analysis.ts';
import { forEachEngine } from './support/engines.ts';

forEachEngine(t, async (t, engine) => {
  const product = await startProductServer(t, {
    engine,
    rtpBase: 28800,
    roomSettings: { waitForHost: false, announceNames: true, entryExitTones: true },
  });
  const api = new Api(product);

  async function walkIn(caller: Caller): Promise<void> {
    if (caller.call.status !== 200) throw new Error(`INVITE answered ${String(caller.call.status)}`);
    await caller.enterPinAfterWelcome(DEMO.participantPin);
    await caller.skipName();
  }

  t.test('a withheld number is masked in the live view and never appears in the event stream', async (t) => {
    t.setTimeout(60_000);
    const stream = await api.stream();
    t.teardown(() => {
      stream.close();
    });
    await stream.waitFor((event) => event === 'snapshot', 5000, 'the snapshot');

    const hidden = freshNumber();
    const [anonymous, asserted] = await Promise.all([
      // RFC 3323 §4.1.1.3: an anonymous From.
      Caller.dial(t, product, { from: 'anonymous', fromDisplayName: 'Anonymous' }),
      // RFC 3325 §9.3: the real number only in P-Asserted-Identity (and From), with Privacy: id.
      Caller.dial(t, product, {
        from: hidden,
        fromDisplayName: 'Jane Secret',
        headers: [
          ['P-Asserted-Identity', `"Jane Secret" <sip:${hidden}@127.0.0.1;user=phone>`],
          ['Privacy', 'id'],
        ],
      }),
    ]);
    await Promise.all([walkIn(anonymous), walkIn(asserted)]);

    const legs = await api.waitForLive(
      (c) => {
        const joined = c?.legs.filter((l) => l.state === 'joined') ?? [];
        return joined.length >= 2 ? joined : undefined;
      },
      15_000,
      'both withheld callers joined',
    );
    for (const leg of legs) {
      t.equal(leg.number, null, `leg ${leg.id}: number is null`);
      t.equal(leg.numberWithheld, true, `leg ${leg.id}: numberWithheld is true`);
      t.notMatch(leg.name ?? '', /\d/, `leg ${leg.id}: the shown name has no digits (${String(leg.name)})`);
      t.notMatch(leg.name ?? '', /Jane|Secret/, `leg ${leg.id}: the withheld caller's display name is not shown`);
    }

    await stream.waitFor(
      (event, data) => event === 'leg-updated' && legs.some((l) => l.id === (data as { leg: LiveLegBody }).leg.id),
      5000,
      'leg events for the withheld callers',
    );
    const withheldEvents = stream.events.filter((e) => e.event === 'leg-updated' && (e.data as { leg: LiveLegBody }).leg.numberWithheld);
    t.ok(withheldEvents.length >= 2, `the stream carries the withheld legs (${String(withheldEvents.length)} leg-updated events)`);
    t.ok(withheldEvents.every((e) => (e.data as { leg: LiveLegBody }).leg.number === null), 'every such event has number: null');
    const text = stream.text;
    const digits = hidden.replace(/\D/g, '');
    t.notOk(text.includes(digits), 'the full number is nowhere in the stream');
    t.notOk(text.includes(digits.slice(-6)), 'nor its last six digits');
    t.notOk(/Jane|Secret/.test(text), 'nor the withheld display name');
  });

  t.test("a joiner's recorded name is played to the room: a member already in hears it", async (t) => {
    t.setTimeout(60_000);
    const NAME_HZ = 1400;
    const member = await Caller.dial(t, product);
    await walkIn(member);
    await api.waitForLegByNumber(member.number, 'joined');
    // Let the member's own entry announcements pass before listening.
    await new Promise((r) => setTimeout(r, 1500));
    const mark = member.rtp.receivedSamples;

    const joiner = await Caller.dial(t, product);
    t.equal(joiner.call.status, 200);
    await joiner.enterPinAfterWelcome(DEMO.participantPin);
    await joiner.speakName(NAME_HZ, 1.0);
    const spoken = member.rtp.receivedSamples;
    const leg = await api.waitForLegByNumber(joiner.number, 'joined', 15_000);
    t.equal(leg.hasSpokenName, true, 'the live view says the joiner has a spoken name');

    const joined = await member.hear('has-joined', mark, 10_000);
    t.pass('the member hears "… has joined"');
    const heard = member.rtp.receivedSince(mark).subarray(0, joined.start - mark);
    const level = toneRms(heard, NAME_HZ);
    const peak = Math.max(0, ...energyFractionWindows(heard, NAME_HZ));
    t.ok(level > 500, `before it, the member hears the recorded name (${String(NAME_HZ)} Hz level ${level.toFixed(0)})`);
    t.ok(peak > 0.8, `as a clear tone (peak window fraction ${peak.toFixed(2)})`);
    const whileRecorded = toneRms(member.rtp.receivedSince(mark).subarray(0, spoken - mark), NAME_HZ);
    t.ok(whileRecorded < 50, `while the joiner was recording it in the IVR, the room did not hear it (level ${whileRecorded.toFixed(0)})`);
  });
});
