import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { decodePromptWav } from '../../../src/engines/embedded/media/wav-cache.ts';
import { WAV_HEADER_SIZE, WavWriter } from '../../../src/engines/embedded/media/wav-writer.ts';
import { skipUnless } from '../../support/peer-tools.ts';

const run = promisify(execFile);

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wav-writer-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `seconds` of a ramp in 20 ms frames, as the mixer would. */
function fill(writer: WavWriter, frames: number): void {
  const frame = new Int16Array(160);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < 160; i++) frame[i] = ((f * 160 + i) % 2000) - 1000;
    writer.append(frame);
  }
}

t.test('the header describes 8 kHz mono 16-bit PCM with the final sizes patched in', async (t) => {
  const path = join(await tempDir(t), 'a.wav');
  const writer = await WavWriter.create(path, { batchSeconds: 1 });
  fill(writer, 120); // 2.4 s: crosses the 1 s batch boundary twice
  t.equal(await writer.finish(), 2400);
  const b = await readFile(path);
  t.equal(b.toString('ascii', 0, 4), 'RIFF');
  t.equal(b.readUInt32LE(4), b.length - 8, 'RIFF size');
  t.equal(b.toString('ascii', 8, 16), 'WAVEfmt ');
  t.equal(b.readUInt32LE(16), 16, 'fmt chunk size');
  t.equal(b.readUInt16LE(20), 1, 'PCM');
  t.equal(b.readUInt16LE(22), 1, 'mono');
  t.equal(b.readUInt32LE(24), 8000, 'sample rate');
  t.equal(b.readUInt32LE(28), 16000, 'byte rate');
  t.equal(b.readUInt16LE(32), 2, 'block align');
  t.equal(b.readUInt16LE(34), 16, 'bits per sample');
  t.equal(b.toString('ascii', 36, 40), 'data');
  t.equal(b.readUInt32LE(40), 120 * 320, 'data size');
  t.equal(b.length, WAV_HEADER_SIZE + 120 * 320);
});

t.test('the file reads back through wavefile with the same samples', async (t) => {
  const path = join(await tempDir(t), 'b.wav');
  const writer = await WavWriter.create(path);
  fill(writer, 10);
  await writer.finish();
  const samples = decodePromptWav(await readFile(path), path);
  t.equal(samples.length, 1600);
  t.same([samples[0], samples[1], samples[1599]], [-1000, -999, 599]);
});

t.test('sox reads the file as 8000 Hz, 1 channel, 16-bit, with the right length', { skip: skipUnless('sox') }, async (t) => {
  const path = join(await tempDir(t), 'c.wav');
  const writer = await WavWriter.create(path);
  fill(writer, 50);
  await writer.finish();
  const { stdout } = await run('sox', ['--i', path]);
  t.match(stdout, /Channels\s*:\s*1/);
  t.match(stdout, /Sample Rate\s*:\s*8000/);
  t.match(stdout, /Precision\s*:\s*16-bit/);
  t.match(stdout, /Duration\s*:\s*00:00:01\.00 = 8000 samples/);
});

t.test('finishing twice is harmless and an empty recording is a valid file', async (t) => {
  const path = join(await tempDir(t), 'd.wav');
  const writer = await WavWriter.create(path);
  t.equal(await writer.finish(), 0);
  t.equal(await writer.finish(), 0);
  writer.append(new Int16Array(160));
  const b = await readFile(path);
  t.equal(b.length, WAV_HEADER_SIZE, 'appends after finish are ignored');
  t.equal(b.readUInt32LE(40), 0);
});

t.test('a file that cannot be created rejects MEDIA_FILE', async (t) => {
  await t.rejects(WavWriter.create('/nonexistent-dir/x.wav'), { code: 'MEDIA_FILE' });
});

t.test('a µ-law recording is an 8 kHz G.711 WAV of 8000 bytes a second that sox reads', async (t) => {
  const path = join(await tempDir(t), 'u.wav');
  const writer = await WavWriter.create(path, { encoding: 'ulaw' });
  fill(writer, 50); // 1 s
  t.equal(await writer.finish(), 1000);
  const b = await readFile(path);
  t.equal(b.length, 58 + 8000, '58-byte header (fmt with cbSize, fact) and one byte a sample');
  t.equal(b.readUInt16LE(20), 7, 'format tag WAVE_FORMAT_MULAW');
  t.equal(b.readUInt32LE(46), 8000, 'fact chunk holds the sample count');
  t.equal(b.readUInt32LE(54), 8000, 'data size patched');
  const { stdout } = await run('soxi', [path]);
  t.match(stdout, /Sample Encoding\s*:\s*8-bit u-law/);
  t.match(stdout, /Duration\s*:\s*00:00:01\.00 = 8000 samples/);
});

t.test('a write that fails (disk full) is reported once and later appends are dropped', async (t) => {
  const failures: string[] = [];
  // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
  const writer = await WavWriter.create('/dev/full', {
    encoding: 'ulaw',
    onError: (err) => failures.push(err.code),
  });
  fill(writer, 100);
  for (let i = 0; i < 50 && failures.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  t.same(failures, ['MEDIA_FILE'], 'one MEDIA_FILE report');
  t.ok(writer.failed);
  fill(writer, 100);
  await t.rejects(writer.finish(), { code: 'MEDIA_FILE' });
  t.same(failures, ['MEDIA_FILE'], 'still one report');
});
