import { join } from 'node:path';
import type { Test } from 'tap';
import { isAppError } from '../../src/lib/errors.ts';
import { energyFraction, maxCrossCorrelation } from '../support/audio-analysis.ts';
import { silenceSource, toneSource } from '../support/tone.ts';
import { sleep, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { PROMPT_WAV, type EngineFactory } from './contract-world.ts';
import { assertHears, fractions, listen, openRoom } from './three-tone-room.ts';

/** Contract tests about the finer bridge controls: deaf, volume, playToAll, pause, remove, move, close. */
export function bridgeControlContract(t: Test, makeEngine: EngineFactory): void {
  t.test('a deaf leg hears nothing of the room while the others still hear it', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    await within(room.bridge.setDeaf(a.leg, true), 5000, 'setDeaf');
    const heard = await listen(room);
    assertHears(t, heard[0] ?? new Int16Array(), 0, []);
    assertHears(t, heard[1] ?? new Int16Array(), 1, [440, 1800]);
    await within(room.bridge.setDeaf(a.leg, false), 5000, 'undeaf');
    assertHears(t, (await listen(room))[0] ?? new Int16Array(), 0, [1000, 1800]);
  });

  t.test('volume −12 dB makes a leg quieter for the others, by about that much', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    await within(room.bridge.setVolume(a.leg, -12), 5000, 'setVolume');
    const heard = (await listen(room))[1] ?? new Int16Array();
    // 440 Hz at −12 dB against 1800 Hz at 0 dB: 0.063 / 1.063 ≈ 6 % of the energy.
    const share = energyFraction(heard, 440);
    t.ok(share > 0.02 && share < 0.15, `the 1000 Hz leg hears 440 Hz at about 6 % of the energy (${(share * 100).toFixed(1)} %) [${fractions(heard)}]`);
  });

  t.test('playToAll is heard by every member except a deaf one, and resolves when done', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    for (const m of room.members) m.call.rtp.setSource(silenceSource);
    const [a, b, c] = room.members;
    if (a === undefined || b === undefined || c === undefined) throw new Error('no members');
    await within(room.bridge.setDeaf(c.leg, true), 5000, 'setDeaf');
    await sleep(300);
    const marks = room.members.map((m) => m.call.rtp.receivedSamples);
    await within(room.bridge.playToAll([PROMPT_WAV]), 15_000, 'playToAll');
    await sleep(500);
    const reference = readWav(PROMPT_WAV).samples;
    const corr = room.members.map((m, i) => maxCrossCorrelation(reference, m.call.rtp.receivedSince(marks[i])).value);
    t.ok((corr[0] ?? 0) >= 0.8, `member 1 hears the announcement (${(corr[0] ?? 0).toFixed(3)})`);
    t.ok((corr[1] ?? 0) >= 0.8, `member 2 hears the announcement (${(corr[1] ?? 0).toFixed(3)})`);
    t.ok((corr[2] ?? 1) < 0.3, `the deaf member does not (${(corr[2] ?? 1).toFixed(3)})`);
  });

  t.test('a paused room recording leaves out what was said while paused', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    const path = join(room.world.dir, 'paused.wav');
    await within(room.bridge.startRecording(path), 5000, 'startRecording');
    await sleep(1000);
    await within(room.bridge.pauseRecording(), 5000, 'pause');
    a.call.rtp.setSource(toneSource(600));
    await sleep(1200);
    a.call.rtp.setSource(toneSource(440));
    await sleep(300);
    await within(room.bridge.resumeRecording(), 5000, 'resume');
    await sleep(1000);
    const result = await within(room.bridge.stopRecording(), 5000, 'stop');
    t.ok(result.durationMs >= 1500 && result.durationMs <= 2700, `duration ${result.durationMs} ms excludes the 1.5 s pause`);
    const samples = readWav(path).samples;
    t.ok(energyFraction(samples, 600) < 0.01, `no 600 Hz from the paused part [${fractions(samples)}]`);
    t.ok(energyFraction(samples, 440) >= 0.1, 'the unpaused talk is there');
  });

  t.test('a removed leg is no longer heard and hears nothing, yet stays up', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    await within(room.bridge.remove(a.leg), 5000, 'remove');
    t.notOk(room.bridge.memberIds.includes(a.leg.id), 'memberIds no longer lists it');
    const heard = await listen(room);
    assertHears(t, heard[0] ?? new Int16Array(), 0, []);
    assertHears(t, heard[1] ?? new Int16Array(), 1, [1800]);
    t.notOk(a.leg.closed, 'the leg is still up');
    t.notOk(a.call.ended, 'no BYE was sent');
  });

  t.test('adding a leg to a second bridge moves it there', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    const other = await within(room.world.engine.createBridge('second-room'), 5000, 'createBridge');
    await within(other.add(a.leg), 5000, 'add to the second bridge');
    t.notOk(room.bridge.memberIds.includes(a.leg.id), 'gone from the first bridge');
    t.same([...other.memberIds], [a.leg.id], 'member of the second bridge');
    const heard = await listen(room);
    assertHears(t, heard[1] ?? new Int16Array(), 1, [1800]);
    assertHears(t, heard[0] ?? new Int16Array(), 0, []);
  });

  t.test('closing a bridge emits closed once, keeps its legs up, finalises its recording, and then rejects ENGINE_CLOSED', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const closed: string[] = [];
    const recordings: string[] = [];
    room.bridge.events.on('closed', (reason) => closed.push(reason));
    room.bridge.events.on('recording-done', (path) => recordings.push(path));
    const path = join(room.world.dir, 'closing.wav');
    await within(room.bridge.startRecording(path), 5000, 'startRecording');
    await sleep(1000);
    await within(room.bridge.close('test'), 5000, 'close');
    await within(room.bridge.close('again'), 5000, 'second close');
    await sleep(300);
    t.equal(closed.length, 1, 'one closed event');
    t.ok(room.bridge.closed);
    t.same(recordings, [path], 'recording-done for the room recording');
    t.ok(readWav(path).samples.length >= 4000, 'the recording is finalised and readable');
    t.ok(room.members.every((m) => !m.leg.closed), 'every leg is still up');
    const leg = room.members[0]?.leg;
    if (leg === undefined) throw new Error('no member');
    const outcome = await within(room.bridge.add(leg).then(() => 'added', (err: unknown) => err), 5000, 'add after close');
    t.ok(isAppError(outcome, 'ENGINE_CLOSED'), 'add after close rejects ENGINE_CLOSED');
  });

  t.test('closing the engine hangs up every leg, emits closed once, and then rejects ENGINE_CLOSED', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const engine = room.world.engine;
    const closed: string[] = [];
    engine.events.on('closed', (reason) => closed.push(reason));
    const hangups = room.members.map((m) => new Promise<string>((resolve) => m.leg.events.once('hangup', (cause) => {
      resolve(cause.by);
    })));
    await within(engine.close(), 10_000, 'engine.close');
    await within(Promise.all(room.members.map((m) => m.call.byeReceived)), 5000, 'BYE at every caller');
    t.pass('every caller received BYE');
    t.ok((await within(Promise.all(hangups), 3000, 'hangup events')).every((by) => by === 'engine' || by === 'local'), 'each leg reports its hangup');
    await within(engine.close(), 5000, 'second close');
    t.equal(closed.length, 1, 'one closed event');
    t.ok(engine.closed);
    const outcome = await within(engine.createBridge('late').then(() => 'created', (err: unknown) => err), 5000, 'createBridge after close');
    t.ok(isAppError(outcome, 'ENGINE_CLOSED'), 'createBridge after close rejects ENGINE_CLOSED');
  });
}
