/**
 * Spoken names end to end over real SIP/RTP (the "name" is a distinctive tone, found by its
 * energy in what others hear): a caller who presses 2 re-records, and the room hears the
 * second take, never the first; two callers admitted at once are both announced, and
 * neither hears their own name; the host plays a leg's clip over the API.
 */
import t, { type Test } from 'tap';
import { Api } from './support/api.ts';
import { Caller } from './support/caller.ts';
import { DEMO, startProductServer } from './support/product-server.ts';
import { toneRms } from './support/tone-level.ts';
import { energyFractionWindows } from '../../support/audio-analysis.ts';

/** The strongest 100 ms window's share of energy at `hz`: near 1 for a played tone, low for speech. */
function peakFraction(samples: Int16Array, hz: number): number {
  return Math.max(0, ...energyFractionWindows(samples, hz));
}

const product = await startProductServer(t, {
  rtpBase: 31800,
  roomSettings: { waitForHost: false, announceNames: true, entryExitTones: false },
});
const api = new Api(product);

/** A member already in the room, its own arrival announcement let pass. */
async function member(t: Test): Promise<Caller> {
  const caller = await Caller.dial(t, product);
  await caller.enterPinAfterWelcome(DEMO.participantPin);
  await caller.skipName();
  await api.waitForLegByNumber(caller.number, 'joined');
  await new Promise((r) => setTimeout(r, 1000));
  return caller;
}

t.test('a caller presses 2, records again, and the room hears only the second take', async (t) => {
  t.setTimeout(90_000);
  const FIRST_HZ = 600;
  const SECOND_HZ = 1500;
  const listener = await member(t);
  const mark = listener.rtp.receivedSamples;

  const joiner = await Caller.dial(t, product);
  await joiner.enterPinAfterWelcome(DEMO.participantPin);
  await joiner.speakName(FIRST_HZ, 1.0);
  const review = await joiner.hear('keep-or-record-again', 0, 20_000);
  await joiner.after(review);
  await joiner.keys('2');
  await joiner.speakName(SECOND_HZ, 1.0, review.end);
  const leg = await api.waitForLegByNumber(joiner.number, 'joined', 20_000);
  t.equal(leg.hasSpokenName, true);

  const joined = await listener.hear('has-joined', mark, 15_000);
  const heard = listener.rtp.receivedSince(mark).subarray(0, joined.start - mark);
  const second = toneRms(heard, SECOND_HZ);
  const first = toneRms(heard, FIRST_HZ);
  t.ok(second > 500, `the room hears the second take (${String(SECOND_HZ)} Hz level ${second.toFixed(0)})`);
  t.ok(first < 50, `and never the first (${String(FIRST_HZ)} Hz level ${first.toFixed(0)})`);

  // The host plays the clip: it is the second take.
  const clip = await fetch(`${product.httpBase}/v1/rooms/${DEMO.roomId}/legs/${leg.id}/spoken-name`, { headers: { authorization: `Bearer ${product.apiKey}` } });
  t.equal(clip.status, 200);
  t.equal(clip.headers.get('content-type'), 'audio/wav');
  const wav = new Uint8Array(await clip.arrayBuffer());
  const samples = new Int16Array(wav.buffer.slice(44, wav.byteLength - ((wav.byteLength - 44) % 2)));
  t.ok(toneRms(samples, SECOND_HZ) > 500, 'the clip holds the second take');
  t.ok(toneRms(samples, FIRST_HZ) < 50, 'and not the first');
  const guess = await fetch(`${product.httpBase}/v1/rooms/${DEMO.roomId}/legs/no-such-leg/spoken-name`, { headers: { authorization: `Bearer ${product.apiKey}` } });
  t.equal(guess.status, 404);
  await joiner.hangup();
  await listener.hangup();
});

t.test('two callers admitted at once are both announced, and neither hears their own name', async (t) => {
  t.setTimeout(90_000);
  const C_HZ = 800;
  const D_HZ = 1800;
  await api.waitForLive((c) => (c === null ? true : undefined), 20_000, 'the previous conference ended');
  const listener = await member(t);
  const mark = listener.rtp.receivedSamples;
  const [c, d] = await Promise.all([Caller.dial(t, product), Caller.dial(t, product)]);
  await Promise.all([c.enterPinAfterWelcome(DEMO.participantPin), d.enterPinAfterWelcome(DEMO.participantPin)]);
  await Promise.all([c.speakName(C_HZ, 1.0), d.speakName(D_HZ, 1.0)]);
  const [rc, rd] = await Promise.all([c.hear('keep-or-record-again', 0, 20_000), d.hear('keep-or-record-again', 0, 20_000)]);
  await Promise.all([c.after(rc), d.after(rd)]);
  // Both keep their names in the same moment.
  const [cMark, dMark] = [c.rtp.receivedSamples, d.rtp.receivedSamples];
  await Promise.all([c.keys('1'), d.keys('1')]);
  await Promise.all([api.waitForLegByNumber(c.number, 'joined', 20_000), api.waitForLegByNumber(d.number, 'joined', 20_000)]);

  const one = await listener.hear('has-joined', mark, 20_000);
  const two = await listener.hear('has-joined', one.end, 20_000);
  const heard = listener.rtp.receivedSince(mark).subarray(0, two.end - mark);
  t.ok(toneRms(heard, C_HZ) > 500, `the room hears the first name (${String(C_HZ)} Hz)`);
  t.ok(toneRms(heard, D_HZ) > 500, `and the second (${String(D_HZ)} Hz): none dropped`);
  await new Promise((r) => setTimeout(r, 1000));
  const cHeard = c.rtp.receivedSince(cMark);
  const dHeard = d.rtp.receivedSince(dMark);
  // Speech ("has joined") has some energy at any frequency; a played name is a pure tone.
  t.ok(peakFraction(cHeard, C_HZ) < 0.5, `the first caller never hears their own name (peak fraction ${peakFraction(cHeard, C_HZ).toFixed(2)})`);
  t.ok(peakFraction(dHeard, D_HZ) < 0.5, `nor the second theirs (peak fraction ${peakFraction(dHeard, D_HZ).toFixed(2)})`);
  t.ok(peakFraction(cHeard, D_HZ) > 0.8 || peakFraction(dHeard, C_HZ) > 0.8, "at least the one in first hears the other's name as a clear tone");
  await Promise.all([c.hangup(), d.hangup(), listener.hangup()]);
});
