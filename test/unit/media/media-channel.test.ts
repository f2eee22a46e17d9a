import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createMediaService } from '../../../src/engines/embedded/media/media-service.ts';
import type { MediaChannel, MediaService } from '../../../src/engines/embedded/media/media-channel.ts';
import { RtpMediaChannel } from '../../../src/engines/embedded/media/rtp-media-channel.ts';
import { ULAW_ENCODE } from '../../../src/engines/embedded/media/g711.ts';
import { decodePromptWav } from '../../../src/engines/embedded/media/wav-cache.ts';
import { RtpPeer, sleep, toneShares, until, writeToneWav } from './helpers/rtp-peer.ts';

t.setTimeout(60000);

const dir = await mkdtemp(join(tmpdir(), 'media-channel-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const tone1k = join(dir, 'tone-1k.wav');
const tone500 = join(dir, 'tone-500.wav');
await writeToneWav(tone1k, 1000, 400);
await writeToneWav(tone500, 500, 200);

/** A service, a channel and a far end wired together, torn down after the test. */
async function setup(
  t: { teardown(fn: () => unknown): void },
  mediaTimeoutMs = 0,
): Promise<{ service: MediaService; channel: RtpMediaChannel; peer: RtpPeer }> {
  const service = createMediaService({ host: '127.0.0.1', portMin: 24000, portMax: 24998, mediaTimeoutMs });
  const channel = await service.createChannel();
  if (!(channel instanceof RtpMediaChannel)) throw new Error('expected an RTP channel');
  const peer = await RtpPeer.open();
  t.teardown(async () => {
    peer.close();
    await service.close();
  });
  return { service, channel, peer };
}

t.test('a channel binds an even port from the pool on the configured host', async (t) => {
  const { channel } = await setup(t);
  t.equal(channel.localAddress, '127.0.0.1');
  t.equal(channel.localPort % 2, 0);
  t.ok(channel.localPort >= 24000 && channel.localPort <= 24998);
});

t.test('a prompt reaches the far end as RTP and play resolves completed', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  const result = await channel.play([tone1k]);
  t.same(result, { reason: 'completed' });
  await sleep(60);
  const shares = toneShares(peer.audio, [1000]);
  t.ok((shares[0] ?? 0) > 0.5, `most received energy is at 1 kHz (${String(shares[0])})`);
  t.ok(peer.audio.length >= 3200 - 160, 'about 400 ms of audio arrived');
  const seqs = peer.received.map((p) => p.seq);
  t.ok(seqs.every((s, i) => i === 0 || ((s - (seqs[i - 1] ?? 0)) & 0xffff) === 1), 'sequence numbers are consecutive');
});

t.test('a sequence of prompts plays in order and a looping prompt runs until stopped', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  const started = Date.now();
  t.same(await channel.play([tone500, tone1k]), { reason: 'completed' });
  t.ok(Date.now() - started >= 550, 'both files played');
  const looping = channel.play([tone500], { loop: true });
  await sleep(500);
  channel.stopPlayback();
  t.same(await looping, { reason: 'stopped' });
});

t.test('a new play stops the previous one, and an abort signal stops playback', async (t) => {
  const { channel } = await setup(t);
  const first = channel.play([tone1k], { loop: true });
  const controller = new AbortController();
  const second = channel.play([tone1k], { loop: true, signal: controller.signal });
  t.same(await first, { reason: 'stopped' });
  controller.abort();
  t.same(await second, { reason: 'stopped' });
});

t.test('a missing or wrong-format prompt rejects MEDIA_FILE', async (t) => {
  const { channel } = await setup(t);
  await t.rejects(channel.play([join(dir, 'nope.wav')]), { code: 'MEDIA_FILE' });
});

t.test('without a far end the channel is silent but usable', async (t) => {
  const { channel } = await setup(t);
  t.same(await channel.play([tone500]), { reason: 'completed' });
  channel.injectDtmf('5', 'sip-info');
  const r = await channel.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 50, interDigitTimeoutMs: 50 });
  t.equal(r.reason, 'timeout');
});

t.test('RFC 4733 digits are reported once each, and a repeated digit twice', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  const digits: string[] = [];
  channel.events.on('dtmf', (d, source) => digits.push(`${d}:${source}`));
  for (const code of [4, 7, 1, 1]) {
    peer.sendEvent(channel.localPort, code);
    await sleep(30);
  }
  await until(() => digits.length >= 4);
  await sleep(50);
  t.same(digits, ['4:rfc4733', '7:rfc4733', '1:rfc4733', '1:rfc4733']);
});

t.test('the same digit by RTP and SIP INFO counts once', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  const digits: string[] = [];
  channel.events.on('dtmf', (d) => digits.push(d));
  peer.sendEvent(channel.localPort, 9);
  await until(() => digits.length === 1);
  channel.injectDtmf('9', 'sip-info');
  channel.injectDtmf('x', 'sip-info');
  await sleep(300);
  channel.injectDtmf('9', 'sip-info');
  t.same(digits, ['9', '9'], 'the INFO copy is dropped, a later press is not, garbage is ignored');
});

t.test('a digit barges in on a barge-in prompt and is collected', async (t) => {
  const { channel } = await setup(t);
  const collecting = channel.collectDigits({
    minDigits: 1,
    maxDigits: 3,
    terminator: '#',
    firstDigitTimeoutMs: 2000,
    interDigitTimeoutMs: 2000,
    prompt: [tone1k, tone1k, tone1k],
  });
  await sleep(100);
  channel.injectDtmf('1', 'sip-info');
  channel.injectDtmf('2', 'rfc4733');
  channel.injectDtmf('#', 'sip-info');
  t.same(await collecting, { digits: '12', reason: 'terminator' });
  const playing = channel.play([tone1k], { bargeIn: true });
  await sleep(50);
  channel.injectDtmf('3', 'sip-info');
  t.same(await playing, { reason: 'interrupted', digit: '3' });
});

t.test('digit collection settles on abort', async (t) => {
  const { channel } = await setup(t);
  const controller = new AbortController();
  const collecting = channel.collectDigits({ minDigits: 1, maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 5000, signal: controller.signal });
  channel.injectDtmf('8', 'sip-info');
  await sleep(20);
  controller.abort();
  t.same(await collecting, { digits: '8', reason: 'stopped' });
});

t.test('sendDtmf sends RFC 4733 events the far end can read', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  await sleep(60);
  await channel.sendDtmf('12');
  await sleep(40);
  const events = peer.received.filter((p) => p.pt === 101);
  const starts = events.filter((p) => p.marker).map((p) => p.payload[0]);
  t.same(starts, [1, 2], 'one start packet (marker) per digit');
  t.equal(events.filter((p) => ((p.payload[1] ?? 0) & 0x80) !== 0).length, 6, 'three end packets per digit');
});

t.test('ptime 30 sends 240-sample packets', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media({ ptimeMs: 30 }));
  channel.confirm();
  await sleep(200);
  const audio = peer.received.filter((p) => p.pt === 0);
  t.ok(audio.length >= 4);
  t.ok(audio.every((p) => p.payload.length === 240));
  t.ok(audio.every((p, i) => i === 0 || ((p.ts - (audio[i - 1]?.ts ?? 0)) >>> 0) === 240));
});

t.test('recording a spoken name ends after silence following speech', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  peer.frequency = 600;
  peer.start(channel.localPort);
  const path = join(dir, 'name.wav');
  const recording = channel.record({ path, maxSeconds: 10, silenceMs: 300 });
  await sleep(500);
  peer.frequency = 0;
  const result = await recording;
  t.equal(result.reason, 'silence');
  t.ok(result.heardSpeech);
  t.ok(result.durationMs >= 600 && result.durationMs < 2000, `duration ${String(result.durationMs)} ms`);
  const samples = decodePromptWav(await readFile(path), path);
  t.equal(Math.round((samples.length / 8000) * 1000), result.durationMs, 'the file holds the reported duration');
  t.ok((toneShares(samples.subarray(800, 2400), [600])[0] ?? 0) > 0.5, 'the file holds what the far end said');
});

t.test('a recording ends on maxSeconds, on the terminator, and on abort (file finalised)', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  const max = await channel.record({ path: join(dir, 'max.wav'), maxSeconds: 0.3 });
  t.equal(max.reason, 'max');
  t.ok(max.durationMs >= 300 && max.durationMs < 400);
  t.notOk(max.heardSpeech);
  const term = channel.record({ path: join(dir, 'term.wav'), maxSeconds: 10, terminator: '#', beep: true });
  await sleep(600);
  channel.injectDtmf('#', 'sip-info');
  t.equal((await term).reason, 'terminator');
  const beep = peer.audio; // everything sent so far is silence except the beep
  t.ok((toneShares(beep, [1000])[0] ?? 0) > 0.3, 'a beep was played before recording');
  const controller = new AbortController();
  const aborted = channel.record({ path: join(dir, 'abort.wav'), maxSeconds: 10, signal: controller.signal });
  await sleep(200);
  controller.abort();
  const r = await aborted;
  t.equal(r.reason, 'stopped');
  const bytes = await readFile(r.path);
  t.equal(bytes.readUInt32LE(40), bytes.length - 44, 'the aborted file has its sizes patched');
});

t.test('no RTP for the media timeout emits media-timeout, but not while held', async (t) => {
  const { channel, peer } = await setup(t, 200);
  let timeouts = 0;
  channel.events.on('media-timeout', () => timeouts++);
  channel.update(peer.media({ direction: 'recvonly' }));
  channel.confirm();
  await sleep(400);
  t.equal(timeouts, 0, 'no timeout while the far end holds the call');
  peer.start(channel.localPort);
  channel.update(peer.media());
  channel.confirm();
  await sleep(400);
  t.equal(timeouts, 0, 'no timeout while RTP flows');
  peer.stop();
  await until(() => timeouts > 0, 2000);
  t.pass('media-timeout once RTP stopped');
});

t.test('hostile input is dropped and counted, never a crash', async (t) => {
  const { channel, peer } = await setup(t);
  const stranger = await RtpPeer.open();
  t.teardown(() => {
    stranger.close();
  });
  stranger.sendAudio(channel.localPort);
  await until(() => channel.stats.wrongSource === 1);
  t.pass('RTP before a far end is known is dropped');
  channel.update(peer.media());
  channel.confirm();
  await sleep(20);
  peer.sendRaw(channel.localPort, Uint8Array.from([1, 2, 3]));
  peer.sendRaw(channel.localPort, new Uint8Array(1400).fill(0xff));
  peer.sendRaw(channel.localPort, new Uint8Array(9000).fill(0x80));
  peer.sendRaw(channel.localPort, Uint8Array.from([0x80, 99, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5]));
  await until(() => channel.stats.malformed === 3 && channel.stats.unknownPayloadType === 1);
  t.pass('garbage, oversized and unknown payload types are counted');
  // The stranger floods loud audio; the connected socket never delivers it.
  stranger.frequency = 1000;
  stranger.amplitude = 20000;
  for (let i = 0; i < 50; i++) stranger.sendAudio(channel.localPort);
  const path = join(dir, 'hijack.wav');
  const rec = await channel.record({ path, maxSeconds: 0.3 });
  t.notOk(rec.heardSpeech, 'the stranger was not heard');
  t.notOk(channel.closed);
});

t.test('an SSRC change is tolerated: audio continues', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  peer.frequency = 700;
  peer.start(channel.localPort);
  await sleep(200);
  peer.ssrc = 0x9999;
  peer.ts = 77777;
  const r = await channel.record({ path: join(dir, 'ssrc.wav'), maxSeconds: 0.4 });
  t.ok(r.heardSpeech);
  t.equal(channel.stats.ssrcChanges, 1);
});

t.test('close settles everything with stopped, frees the port, and later calls reject LEG_GONE', async (t) => {
  const { channel } = await setup(t);
  let closedEvents = 0;
  channel.events.on('closed', () => closedEvents++);
  const play = channel.play([tone1k], { loop: true });
  const collect = channel.collectDigits({ minDigits: 1, maxDigits: 4, firstDigitTimeoutMs: 10000, interDigitTimeoutMs: 10000 });
  const record = channel.record({ path: join(dir, 'closed.wav'), maxSeconds: 30 });
  const dtmf = channel.sendDtmf('123');
  await sleep(100);
  channel.close();
  channel.close();
  t.same(await play, { reason: 'stopped' });
  t.same(await collect, { digits: '', reason: 'stopped' });
  t.equal((await record).reason, 'stopped');
  await dtmf;
  t.equal(closedEvents, 1);
  t.ok(channel.closed);
  const c: MediaChannel = channel;
  await t.rejects(c.play([tone1k]), { code: 'LEG_GONE' });
  await t.rejects(c.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 1, interDigitTimeoutMs: 1 }), { code: 'LEG_GONE' });
  await t.rejects(c.record({ path: join(dir, 'x.wav'), maxSeconds: 1 }), { code: 'LEG_GONE' });
  await t.rejects(c.sendDtmf('1'), { code: 'LEG_GONE' });
  const probe = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.bind(channel.localPort, '127.0.0.1', resolve);
  });
  probe.close();
  t.pass('the port can be bound again');
});

t.test('the service refuses new channels after close and reports an exhausted pool', async (t) => {
  const small = createMediaService({ host: '127.0.0.1', portMin: 24990, portMax: 24992, mediaTimeoutMs: 0 });
  const a = await small.createChannel();
  const b = await small.createChannel();
  await t.rejects(small.createChannel(), { code: 'PORTS_EXHAUSTED' });
  a.close();
  const c = await small.createChannel();
  t.equal(c.localPort, a.localPort, 'a released port is reused');
  await small.close();
  t.ok(b.closed && c.closed);
  await t.rejects(small.createChannel(), { code: 'ENGINE_CLOSED' });
});

t.test('a new far end (re-INVITE) moves the media, even right after the first update', async (t) => {
  const { channel, peer } = await setup(t);
  const second = await RtpPeer.open();
  t.teardown(() => {
    second.close();
  });
  channel.update(peer.media());
  channel.confirm();
  channel.update(second.media());
  channel.confirm();
  await sleep(150);
  const before = peer.received.length;
  t.ok(second.received.length >= 3, 'the last far end receives the media');
  await sleep(100);
  t.equal(peer.received.length, before, 'the first far end receives nothing more');
  second.frequency = 800;
  second.start(channel.localPort);
  peer.frequency = 800;
  peer.start(channel.localPort);
  await sleep(100);
  const wrongBefore = channel.stats.wrongSource;
  channel.update(second.media({ remoteAddress: '0.0.0.0' }));
  channel.confirm();
  await sleep(100);
  t.ok(channel.stats.wrongSource > wrongBefore, 'with the far end unset (0.0.0.0), RTP is dropped and counted');
  const sentBefore = second.received.length;
  await sleep(100);
  t.equal(second.received.length, sentBefore, 'and nothing is sent');
});

t.test('shutting the service down finalises a recording in progress before close resolves', async (t) => {
  const service = createMediaService({ host: '127.0.0.1', portMin: 24000, portMax: 24998, mediaTimeoutMs: 0 });
  const channel = await service.createChannel();
  const path = join(dir, 'shutdown.wav');
  const recording = channel.record({ path, maxSeconds: 30 });
  await sleep(300);
  await service.close();
  const bytes = await readFile(path);
  t.ok(bytes.length > 44 + 2000, 'audio was written');
  t.equal(bytes.readUInt32LE(40), bytes.length - 44, 'sizes are patched when close resolves');
  t.equal((await recording).reason, 'stopped');
});

t.test('without telephone-event, digits travel as in-band tones and are detected at the other end', async (t) => {
  const service = createMediaService({ host: '127.0.0.1', portMin: 24000, portMax: 24998, mediaTimeoutMs: 0 });
  t.teardown(() => service.close());
  const a = await service.createChannel();
  const b = await service.createChannel();
  const toward = (c: MediaChannel): Parameters<MediaChannel['update']>[0] => ({
    remoteAddress: '127.0.0.1',
    remotePort: c.localPort,
    codec: 'PCMA',
    payloadType: 8,
    telephoneEventPt: undefined,
    ptimeMs: 20,
    direction: 'sendrecv',
  });
  a.update(toward(b));
  a.confirm();
  b.update(toward(a));
  b.confirm();
  const heard: string[] = [];
  b.events.on('dtmf', (d, source) => heard.push(`${d}:${source}`));
  await sleep(100);
  await a.sendDtmf('42#');
  await until(() => heard.length >= 3);
  t.same(heard, ['4:inband', '2:inband', '#:inband']);
});

t.test('a burst of random datagrams from the far end is survived and the channel keeps working', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media());
  channel.confirm();
  await sleep(20);
  let seed = 99;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(rand() % 400);
    for (let k = 0; k < bytes.length; k++) bytes[k] = rand() & 0xff;
    // Half of them look like RTP v2 with the negotiated or the event payload type.
    if (bytes.length >= 12 && i % 2 === 0) {
      bytes[0] = 0x80;
      bytes[1] = i % 4 === 0 ? 0 : 101;
    }
    peer.sendRaw(channel.localPort, bytes);
    if (i % 50 === 0) await sleep(2); // paced so the kernel's socket buffer does not drop most of them
  }
  await sleep(200);
  const s = channel.stats;
  t.ok(s.malformed + s.unknownPayloadType + s.packetsReceived > 200, 'the datagrams were looked at and counted');
  t.same(await channel.play([tone500]), { reason: 'completed' }, 'the channel still plays');
  t.notOk(channel.closed);
});

t.test('digits that barge in on a prompt, and those typed after them, go to the next collectDigits', async (t) => {
  const { channel } = await setup(t);
  const playing = channel.play([tone1k], { bargeIn: true });
  await sleep(50);
  channel.injectDtmf('4', 'sip-info');
  t.same(await playing, { reason: 'interrupted', digit: '4' });
  channel.injectDtmf('7', 'sip-info');
  const r = await channel.collectDigits({ minDigits: 3, maxDigits: 3, firstDigitTimeoutMs: 500, interDigitTimeoutMs: 500, prompt: [tone1k] });
  t.same(r, { digits: '47', reason: 'timeout' }, 'replayed, and the prompt is skipped for a caller typing ahead');
  const again = await channel.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 100, interDigitTimeoutMs: 100 });
  t.same(again, { digits: '', reason: 'timeout' }, 'replayed once only');
});

t.test('digits pressed while nothing collects and no barge-in prompt plays are not replayed', async (t) => {
  const { channel } = await setup(t);
  channel.injectDtmf('9', 'sip-info');
  await channel.play([tone500]);
  channel.injectDtmf('8', 'sip-info');
  const r = await channel.collectDigits({ minDigits: 1, maxDigits: 1, firstDigitTimeoutMs: 100, interDigitTimeoutMs: 100 });
  t.same(r, { digits: '', reason: 'timeout' });
});

t.test('while the far end holds the call (our side recvonly) nothing is sent, and sending resumes after', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media({ direction: 'recvonly' }));
  channel.confirm();
  await sleep(150);
  t.equal(peer.received.length, 0, 'nothing sent while held');
  channel.update(peer.media());
  channel.confirm();
  await sleep(150);
  t.ok(peer.received.length >= 3, 'media flows again');
});

t.test('30 ms packets from the far end play out as continuous audio', async (t) => {
  const { channel, peer } = await setup(t);
  channel.update(peer.media({ ptimeMs: 30 }));
  channel.confirm();
  let ts = 1000;
  let seq = 1;
  const timer = setInterval(() => {
    const b = Buffer.alloc(12 + 240);
    b[0] = 0x80;
    b.writeUInt16BE(seq++, 2);
    b.writeUInt32BE(ts, 4);
    b.writeUInt32BE(0x4242, 8);
    for (let k = 0; k < 240; k++) b[12 + k] = ULAW_ENCODE[Math.round(8000 * Math.sin((2 * Math.PI * 600 * (ts + k)) / 8000)) + 32768] ?? 0xff;
    ts += 240;
    peer.sendRaw(channel.localPort, b);
  }, 30);
  t.teardown(() => {
    clearInterval(timer);
  });
  await sleep(150);
  const path = join(dir, 'ptime30.wav');
  const r = await channel.record({ path, maxSeconds: 0.6 });
  const samples = decodePromptWav(await readFile(path), path);
  t.ok(r.heardSpeech);
  t.ok((toneShares(samples, [600])[0] ?? 0) > 0.8, 'the 600 Hz tone arrives intact');
});
