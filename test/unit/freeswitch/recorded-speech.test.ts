import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import wavefile from 'wavefile';
import { recordingHeardSpeech, samplesHoldSpeech } from '../../../src/engines/freeswitch/recorded-speech.ts';

const { WaveFile } = wavefile;

function tone(seconds: number, amplitude: number): Int16Array {
  const out = new Int16Array(Math.round(8000 * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return out;
}

t.test('a tone is speech; silence and faint noise are not', async (t) => {
  t.ok(samplesHoldSpeech(tone(0.5, 3000)));
  t.notOk(samplesHoldSpeech(new Int16Array(8000)));
  t.notOk(samplesHoldSpeech(tone(1, 100)), 'below the threshold');
  t.notOk(samplesHoldSpeech(tone(0.04, 3000)), 'two loud frames are not enough');
});

t.test('a recorded WAV file is judged from its samples; an unreadable one gives undefined', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'speech-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, '16', tone(1, 3000));
  writeFileSync(join(dir, 'tone.wav'), wav.toBuffer());
  t.equal(await recordingHeardSpeech(join(dir, 'tone.wav')), true);
  t.equal(await recordingHeardSpeech(join(dir, 'missing.wav')), undefined);
});
