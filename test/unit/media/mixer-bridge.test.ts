import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Leg } from '../../../src/ports/leg.ts';
import type { Bridge } from '../../../src/ports/bridge.ts';
import { createMediaService } from '../../../src/engines/embedded/media/media-service.ts';
import type { MediaChannel, MediaService } from '../../../src/engines/embedded/media/media-channel.ts';
import { createMixerBridge } from '../../../src/engines/embedded/media/mixer-bridge.ts';
import { RtpMediaChannel } from '../../../src/engines/embedded/media/rtp-media-channel.ts';
import { decodePromptWav } from '../../../src/engines/embedded/media/wav-cache.ts';
import { RtpPeer, sleep, toneShares, until, writeToneWav } from './helpers/rtp-peer.ts';

t.setTimeout(60000);

const dir = await mkdtemp(join(tmpdir(), 'mixer-bridge-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const music = join(dir, 'music.wav');
const announcement = join(dir, 'announce.wav');
await writeToneWav(music, 300, 500);
await writeToneWav(announcement, 2500, 300);

const FREQS = [440, 1000, 1800] as const;

interface Party {
  readonly leg: Leg;
  readonly channel: MediaChannel;
  readonly peer: RtpPeer;
}

/** The bridge only reads `id` and `closed` of a leg; the rest of the port is not needed here. */
function fakeLeg(id: string, channel: MediaChannel): Leg {
  return {
    id,
    get closed() {
      return channel.closed;
    },
  } as unknown as Leg;
}

async function room(
  t: { teardown(fn: () => unknown): void },
  count = 3,
): Promise<{ service: MediaService; bridge: Bridge; parties: Party[] }> {
  const service = createMediaService({ host: '127.0.0.1', portMin: 25000, portMax: 25998, mediaTimeoutMs: 0 });
  const parties: Party[] = [];
  for (let i = 0; i < count; i++) {
    const channel = await service.createChannel();
    const peer = await RtpPeer.open();
    peer.frequency = FREQS[i % FREQS.length] ?? 440;
    channel.update(peer.media());
    channel.confirm();
    peer.start(channel.localPort);
    parties.push({ leg: fakeLeg(`leg-${String(i)}`, channel), channel, peer });
  }
  const byId = new Map(parties.map((p) => [p.leg.id, p.channel]));
  const bridge = createMixerBridge('room-1', (leg) => byId.get(leg.id));
  t.teardown(async () => {
    for (const p of parties) p.peer.close();
    await bridge.close();
    await service.close();
  });
  return { service, bridge, parties };
}

/** Listens for `ms` and returns each party's received audio. */
async function listen(parties: Party[], ms: number): Promise<number[][]> {
  await sleep(100); // let the change settle through the jitter buffer
  const starts = parties.map((p) => p.peer.audio.length);
  await sleep(ms);
  return parties.map((p, i) => p.peer.audio.slice(starts[i]));
}

/** Per-leg receive counters, printed with energy checks so a failure under load explains itself. */
function diag(parties: Party[]): string {
  return JSON.stringify(
    parties.map((p) => {
      const c = p.channel;
      if (!(c instanceof RtpMediaChannel)) return {};
      return { rx: c.stats.packetsReceived, late: c.jitter.late, grown: c.jitter.grown, resyncs: c.jitter.resyncs, dup: c.jitter.duplicates, empty: c.jitter.emptyFrames };
    }),
  );
}

function share(audio: number[], f: number): number {
  return toneShares(audio, [f])[0] ?? 0;
}

t.test('each member hears every other member and not itself', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  t.same(bridge.memberIds, ['leg-0', 'leg-1', 'leg-2']);
  const heard = await listen(parties, 400);
  heard.forEach((audio, i) => {
    FREQS.forEach((f, k) => {
      if (k === i) t.ok(share(audio, f) < 0.01, `leg ${String(i)} does not hear itself (${share(audio, f).toFixed(3)})`);
      else t.ok(share(audio, f) >= 0.1, `leg ${String(i)} hears leg ${String(k)} (${share(audio, f).toFixed(3)}) ${diag(parties)}`);
    });
  });
});

t.test('a muted member is heard by nobody and unmuting restores it', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  await bridge.setMuted(parties[0]!.leg, true);
  let heard = await listen(parties, 300);
  t.ok(share(heard[1]!, 440) < 0.01, 'leg 1 no longer hears leg 0');
  t.ok(share(heard[1]!, 1800) >= 0.1, 'leg 1 still hears leg 2');
  t.ok(share(heard[0]!, 1000) >= 0.1, 'the muted member still hears the room');
  await bridge.setMuted(parties[0]!.leg, false);
  heard = await listen(parties, 300);
  t.ok(share(heard[1]!, 440) >= 0.1, 'unmuted: heard again');
});

t.test('a deaf member hears nothing of the room but is still heard', async (t) => {
  const { bridge, parties } = await room(t);
  await bridge.add(parties[0]!.leg, { deaf: true });
  await bridge.add(parties[1]!.leg);
  await bridge.add(parties[2]!.leg);
  const heard = await listen(parties, 300);
  t.ok(heard[0]!.every((v) => Math.abs(v) < 50), 'leg 0 hears silence');
  t.ok(share(heard[1]!, 440) >= 0.1, 'leg 1 hears leg 0');
});

t.test('a held member hears only its music, is heard by nobody, and unhold restores the switches', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  await bridge.setMuted(parties[0]!.leg, true);
  await bridge.setHeld(parties[1]!.leg, true, [music]);
  let heard = await listen(parties, 400);
  t.ok(share(heard[1]!, 300) > 0.8, 'the held member hears its music');
  t.ok(share(heard[1]!, 1800) < 0.01, 'and not the room');
  t.ok(share(heard[2]!, 1000) < 0.01, 'nobody hears the held member');
  t.ok(share(heard[2]!, 300) < 0.01, 'nobody hears the music');
  await bridge.setHeld(parties[1]!.leg, false);
  await bridge.setHeld(parties[0]!.leg, true, [music]);
  await bridge.setHeld(parties[0]!.leg, false);
  heard = await listen(parties, 300);
  t.ok(share(heard[1]!, 300) < 0.01, 'the music stopped');
  t.ok(share(heard[1]!, 1800) >= 0.1, 'the unheld member hears the room again');
  t.ok(share(heard[2]!, 440) < 0.01, 'a member muted before hold is still muted after it');
});

t.test('volume scales what a member says', async (t) => {
  const { bridge, parties } = await room(t, 2);
  for (const p of parties) await bridge.add(p.leg);
  const rms = (a: number[]): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / Math.max(1, a.length));
  const before = rms((await listen(parties, 300))[1]!);
  await bridge.setVolume(parties[0]!.leg, -12);
  const after = rms((await listen(parties, 300))[1]!);
  t.ok(after / before > 0.2 && after / before < 0.32, `-12 dB is about a quarter (${(after / before).toFixed(2)})`);
  await t.rejects(bridge.setVolume(parties[0]!.leg, Number.NaN), { code: 'BAD_REQUEST' });
});

t.test('playToAll is heard over the room by members who are not deaf or held', async (t) => {
  const { bridge, parties } = await room(t);
  await bridge.add(parties[0]!.leg);
  await bridge.add(parties[1]!.leg, { deaf: true });
  const starts = parties.map((p) => p.peer.audio.length);
  await bridge.playToAll([announcement]);
  await sleep(100);
  const heard = parties.map((p, i) => p.peer.audio.slice(starts[i]));
  t.ok(share(heard[0]!, 2500) >= 0.1, 'leg 0 heard the announcement');
  t.ok(share(heard[1]!, 2500) < 0.01, 'the deaf leg did not');
});

t.test('talking starts and stops per member', async (t) => {
  const { bridge, parties } = await room(t, 2);
  parties[1]!.peer.frequency = 0;
  const events: string[] = [];
  bridge.events.on('talking', (id, talking) => events.push(`${id}:${String(talking)}`));
  for (const p of parties) await bridge.add(p.leg);
  await until(() => events.includes('leg-0:true'));
  parties[0]!.peer.frequency = 0;
  await until(() => events.includes('leg-0:false'));
  t.same(events, ['leg-0:true', 'leg-0:false'], 'the silent member never talked');
});

t.test('the room recording holds the unmuted members, pauses, and is finalised on stop', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  await bridge.setMuted(parties[2]!.leg, true);
  const path = join(dir, 'room.wav');
  const done: string[] = [];
  bridge.events.on('recording-done', (p) => done.push(p));
  await bridge.startRecording(path);
  await t.rejects(bridge.startRecording(path), { code: 'INVALID_TRANSITION' });
  await sleep(400);
  await bridge.pauseRecording();
  await sleep(300);
  await bridge.resumeRecording();
  await sleep(200);
  const result = await bridge.stopRecording();
  t.equal(result.path, path);
  t.ok(result.durationMs >= 500 && result.durationMs < 800, `paused time is not recorded (${String(result.durationMs)} ms)`);
  t.same(done, [path]);
  const samples = decodePromptWav(await readFile(path), path);
  const mix = [...samples.subarray(800)];
  const [s440, s1000, s1800] = [share(mix, 440), share(mix, 1000), share(mix, 1800)];
  t.ok(s440 >= 0.1 && s1000 >= 0.1, `both unmuted members are in the mix (${s440.toFixed(2)}, ${s1000.toFixed(2)}) ${diag(parties)}`);
  t.ok(s1800 < 0.01, `the muted member is not (${s1800.toFixed(3)})`);
  await t.rejects(bridge.stopRecording(), { code: 'INVALID_TRANSITION' });
});

t.test('closing the bridge finalises the recording, keeps legs up, and later calls reject ENGINE_CLOSED', async (t) => {
  const { bridge, parties } = await room(t, 2);
  for (const p of parties) await bridge.add(p.leg);
  const path = join(dir, 'closing.wav');
  await bridge.startRecording(path);
  await sleep(200);
  const events: string[] = [];
  bridge.events.on('recording-done', () => events.push('recording-done'));
  bridge.events.on('closed', (reason) => events.push(`closed:${reason}`));
  await bridge.close('ended');
  await bridge.close();
  t.same(events, ['recording-done', 'closed:ended']);
  t.ok(bridge.closed);
  t.same(bridge.memberIds, []);
  t.notOk(parties[0]!.channel.closed, 'the legs stay up');
  const bytes = await readFile(path);
  t.equal(bytes.readUInt32LE(40), bytes.length - 44);
  await t.rejects(bridge.add(parties[0]!.leg), { code: 'ENGINE_CLOSED' });
  await t.rejects(bridge.setMuted(parties[0]!.leg, true), { code: 'ENGINE_CLOSED' });
  await t.rejects(bridge.playToAll([announcement]), { code: 'ENGINE_CLOSED' });
  await t.rejects(bridge.startRecording(path), { code: 'ENGINE_CLOSED' });
  // A channel that left the bridge is again a plain channel: prompts still play.
  t.same(await parties[0]!.channel.play([announcement]), { reason: 'completed' });
});

t.test('a member whose channel closes is removed with member-gone', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  const gone: string[] = [];
  bridge.events.on('member-gone', (id) => gone.push(id));
  parties[1]!.channel.close();
  t.same(gone, ['leg-1']);
  t.same(bridge.memberIds, ['leg-0', 'leg-2']);
  await t.rejects(bridge.add(parties[1]!.leg), { code: 'LEG_GONE' });
  await t.rejects(bridge.setMuted(parties[1]!.leg, true), { code: 'LEG_GONE' });
  const heard = await listen([parties[0]!, parties[2]!], 300);
  t.ok(share(heard[0]!, 1800) >= 0.1, 'the rest of the room still works');
});

t.test('adding a member of another bridge moves it; remove keeps the leg up', async (t) => {
  const { bridge, parties } = await room(t);
  for (const p of parties) await bridge.add(p.leg);
  const byId = new Map(parties.map((p) => [p.leg.id, p.channel]));
  const other = createMixerBridge('room-2', (leg) => byId.get(leg.id));
  t.teardown(() => other.close());
  await other.add(parties[0]!.leg);
  t.same(bridge.memberIds, ['leg-1', 'leg-2']);
  t.same(other.memberIds, ['leg-0']);
  await bridge.remove(parties[1]!.leg);
  t.same(bridge.memberIds, ['leg-2']);
  t.notOk(parties[1]!.channel.closed);
  await t.rejects(bridge.setDeaf(parties[1]!.leg, true), { code: 'NOT_FOUND' });
});

t.test('silent members share the room mix, and one with a prompt hears the prompt over it', async (t) => {
  const { bridge, parties } = await room(t, 4);
  parties[2]!.peer.frequency = 0;
  parties[3]!.peer.frequency = 0;
  for (const p of parties) await bridge.add(p.leg);
  const prompt = parties[3]!.channel.play([music], { loop: true });
  const heard = await listen(parties, 400);
  for (const i of [2, 3]) {
    t.ok(share(heard[i]!, 440) >= 0.1 && share(heard[i]!, 1000) >= 0.1, `silent leg ${String(i)} hears both talkers`);
  }
  t.ok(share(heard[3]!, 300) >= 0.1, 'the member with a prompt hears it over the room');
  t.ok(share(heard[2]!, 300) < 0.01, 'the other silent member does not hear that prompt');
  t.ok(share(heard[0]!, 1000) >= 0.1 && share(heard[0]!, 440) < 0.01, 'a talker still gets its own N-1 mix');
  parties[3]!.channel.stopPlayback();
  t.same(await prompt, { reason: 'stopped' });
});
