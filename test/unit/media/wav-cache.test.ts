import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import wavefile from 'wavefile';
import { loadPrompt } from '../../../src/engines/embedded/media/wav-cache.ts';

const { WaveFile } = wavefile;

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wav-cache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function wav(rate: number, channels: number, bits: string, samples: number[]): Uint8Array {
  const w = new WaveFile();
  w.fromScratch(channels, rate, bits, samples);
  return w.toBuffer();
}

t.test('an 8 kHz mono 16-bit file loads as its samples, and again from the cache', async (t) => {
  const path = join(await tempDir(t), 'ok.wav');
  await writeFile(path, wav(8000, 1, '16', [1, -2, 3]));
  const a = await loadPrompt(path);
  t.same([...a], [1, -2, 3]);
  t.equal(await loadPrompt(path), a, 'the same decoded array is returned while the file is unchanged');
});

t.test('a rewritten file is read again', async (t) => {
  const path = join(await tempDir(t), 'name.wav');
  await writeFile(path, wav(8000, 1, '16', [1]));
  await loadPrompt(path);
  await writeFile(path, wav(8000, 1, '16', [5, 6]));
  t.same([...(await loadPrompt(path))], [5, 6]);
});

t.test('missing, wrong-format and garbage files reject MEDIA_FILE', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(loadPrompt(join(dir, 'missing.wav')), { code: 'MEDIA_FILE' });
  const cases: Record<string, Uint8Array> = {
    '16 kHz': wav(16000, 1, '16', [0]),
    stereo: wav(8000, 2, '16', [0, 0]),
    '8-bit': wav(8000, 1, '8', [128]),
    'not a WAV': new TextEncoder().encode('hello, this is not audio'),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const path = join(dir, `${name}.wav`);
    await writeFile(path, bytes);
    await t.rejects(loadPrompt(path), { code: 'MEDIA_FILE' }, name);
  }
});
