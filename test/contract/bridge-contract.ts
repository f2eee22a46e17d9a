import { join } from 'node:path';
import type { Test } from 'tap';
import { energyFraction } from '../support/audio-analysis.ts';
import { silenceSource, toneSource } from '../support/tone.ts';
import { sleep, waitUntil, within } from '../support/wait.ts';
import { readWav } from '../support/wav.ts';
import { HOLD_WAV, openWorld, type EngineFactory } from './contract-world.ts';
import { assertHears, fractions, listen, openRoom, TONES } from './three-tone-room.ts';

/** Contract tests about bridges: mixing, mute, hold, recording, talking. */
export function bridgeContract(t: Test, makeEngine: EngineFactory): void {
  t.test('three legs sending 440, 1000 and 1800 Hz each hear the other two and not themselves', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    t.same([...room.bridge.memberIds].sort(), room.members.map((m) => m.leg.id).sort(), 'memberIds lists the three legs');
    const heard = await listen(room);
    heard.forEach((h, i) => {
      assertHears(t, h, i, TONES.filter((_, j) => j !== i));
    });
  });

  t.test('mute silences a leg for the others, and unmute brings it back', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    await within(room.bridge.setMuted(a.leg, true), 5000, 'setMuted');
    const muted = await listen(room);
    assertHears(t, muted[1] ?? new Int16Array(), 1, [1800]);
    assertHears(t, muted[2] ?? new Int16Array(), 2, [1000]);
    assertHears(t, muted[0] ?? new Int16Array(), 0, [1000, 1800]);
    await within(room.bridge.setMuted(a.leg, false), 5000, 'unmute');
    const unmuted = await listen(room);
    assertHears(t, unmuted[1] ?? new Int16Array(), 1, [440, 1800]);
  });

  t.test('hold isolates a leg both ways and it hears the hold music; unhold restores it', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const [a] = room.members;
    if (a === undefined) throw new Error('no member');
    await within(room.bridge.setHeld(a.leg, true, [HOLD_WAV]), 5000, 'setHeld');
    const held = await listen(room);
    assertHears(t, held[0] ?? new Int16Array(), 0, []);
    t.ok(energyFraction(held[0] ?? new Int16Array(), 600) >= 0.5, `the held leg hears the 600 Hz hold music [${fractions(held[0] ?? new Int16Array())}]`);
    assertHears(t, held[1] ?? new Int16Array(), 1, [1800]);
    assertHears(t, held[2] ?? new Int16Array(), 2, [1000]);
    t.ok(energyFraction(held[1] ?? new Int16Array(), 600) < 0.01, 'the others do not hear the hold music');
    await within(room.bridge.setHeld(a.leg, false), 5000, 'unhold');
    const back = await listen(room);
    assertHears(t, back[0] ?? new Int16Array(), 0, [1000, 1800]);
    assertHears(t, back[1] ?? new Int16Array(), 1, [440, 1800]);
  });

  t.test('the mix recording contains all three tones', async (t) => {
    t.setTimeout(45_000);
    const room = await openRoom(t, makeEngine);
    const path = join(room.world.dir, 'mix.wav');
    await sleep(300);
    await within(room.bridge.startRecording(path), 5000, 'startRecording');
    await sleep(2000);
    const result = await within(room.bridge.stopRecording(), 5000, 'stopRecording');
    t.equal(result.path, path);
    t.ok(result.durationMs >= 1500 && result.durationMs <= 4000, `duration ${result.durationMs} ms is about 2 s`);
    const { samples, sampleRate } = readWav(path);
    t.equal(sampleRate, 8000);
    const body = samples.subarray(800);
    for (const f of TONES) {
      t.ok(energyFraction(body, f) >= 0.1, `recording holds ${f} Hz ≥ 10 % [${fractions(body)}]`);
    }
  });

  t.test('talking events arrive for a leg sending a tone and stop when it goes silent', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const bridge = await within(world.engine.createBridge('talk-room'), 5000, 'createBridge');
    const a = await world.callIn();
    const b = await world.callIn();
    a.call.rtp.setSource(silenceSource);
    b.call.rtp.setSource(silenceSource);
    const events: string[] = [];
    bridge.events.on('talking', (legId, talking) => events.push(`${legId === a.leg.id ? 'a' : legId === b.leg.id ? 'b' : legId}:${String(talking)}`));
    await bridge.add(a.leg);
    await bridge.add(b.leg);
    await sleep(500);
    t.same(events, [], 'silent legs do not talk');
    a.call.rtp.setSource(toneSource(440));
    await waitUntil(() => events.includes('a:true'), 3000, 'talking true').catch(() => undefined);
    t.same(events, ['a:true'], 'talking starts for the leg sending a tone');
    a.call.rtp.setSource(silenceSource);
    await waitUntil(() => events.includes('a:false'), 4000, 'talking false').catch(() => undefined);
    t.same(events, ['a:true', 'a:false'], 'talking stops when it goes silent');
  });

  t.test('a leg that hangs up leaves its bridge with member-gone', async (t) => {
    t.setTimeout(30_000);
    const world = await openWorld(t, makeEngine);
    const bridge = await within(world.engine.createBridge('gone-room'), 5000, 'createBridge');
    const a = await world.callIn();
    const b = await world.callIn();
    await bridge.add(a.leg);
    await bridge.add(b.leg);
    const gone: string[] = [];
    bridge.events.on('member-gone', (legId) => gone.push(legId));
    await a.call.bye();
    await waitUntil(() => gone.length >= 1, 3000, 'member-gone').catch(() => undefined);
    t.same(gone, [a.leg.id]);
    t.same([...bridge.memberIds], [b.leg.id]);
  });
}
