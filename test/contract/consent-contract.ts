import { join } from 'node:path';
import type { Test } from 'tap';
import { energyFraction, maxCrossCorrelation } from '../support/audio-analysis.ts';
import { silenceSource } from '../support/tone.ts';
import { sleep, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { type EngineFactory, PROMPT_WAV } from './contract-world.ts';
import { fractions, openRoom, TONES } from './three-tone-room.ts';

/** Half a second from the middle of the prompt: what "hearing it" is judged on. */
function promptSegment(): Int16Array {
  const { samples } = readWav(PROMPT_WAV);
  const n = Math.min(samples.length, 4000);
  const from = Math.floor((samples.length - n) / 2);
  return samples.subarray(from, from + n);
}

/**
 * Recording consent on the engine port: a notice played to each member alone while the room
 * is recorded is heard by that member and is not in the recording (DESIGN: consent).
 */
export function consentContract(t: Test, makeEngine: EngineFactory): void {
  t.test('a prompt played to each member while the room records is heard by each and is not in the recording', async (t) => {
    t.setTimeout(60_000);
    const room = await openRoom(t, makeEngine);
    const path = join(room.world.dir, 'consent.wav');
    const segment = promptSegment();
    await sleep(300);
    await within(room.bridge.startRecording(path, { encoding: 'ulaw' }), 5000, 'startRecording');
    await sleep(1000);
    const marks = room.members.map((m) => m.call.rtp.receivedSamples);
    // The talkers keep talking: the notice must be understood over them (duck) and kept out.
    const results = await within(
      Promise.all(room.members.map((m) => m.leg.play([PROMPT_WAV], { duck: true }))),
      20_000,
      'notice to every member',
    );
    t.same(results.map((r) => r.reason), ['completed', 'completed', 'completed'], 'every notice played to its end');
    await sleep(600);
    room.members.forEach((m, i) => {
      const heard = m.call.rtp.receivedSince(marks[i]);
      const score = maxCrossCorrelation(segment, heard).value;
      t.ok(score >= 0.8, `member ${String(TONES[i])} Hz heard the notice (correlation ${score.toFixed(3)} ≥ 0.8)`);
    });
    await sleep(500);
    await within(room.bridge.stopRecording(), 5000, 'stopRecording');
    for (const m of room.members) m.call.rtp.setSource(silenceSource);
    const { samples, sampleRate } = readWav(path);
    t.equal(sampleRate, 8000, 'the recording is 8 kHz');
    const body = samples.subarray(800);
    for (const f of TONES) t.ok(energyFraction(body, f) >= 0.1, `recording holds ${String(f)} Hz [${fractions(body)}]`);
    const leaked = maxCrossCorrelation(segment, samples).value;
    t.ok(leaked < 0.2, `the notice is not in the recording (correlation ${leaked.toFixed(3)} < 0.2)`);
  });
}
