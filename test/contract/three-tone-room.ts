import type { Test } from 'tap';
import type { Bridge } from '../../src/ports/bridge.ts';
import { energyFraction } from '../support/audio-analysis.ts';
import { toneSource } from '../support/tone.ts';
import { sleep, within } from '../support/wait.ts';
import { openWorld, type ConnectedCall, type ContractWorld, type EngineFactory } from './contract-world.ts';

/** The three talkers' frequencies. */
export const TONES = [440, 1000, 1800] as const;

/** Three legs in one bridge, each sending its own tone. */
export interface Room {
  readonly world: ContractWorld;
  readonly bridge: Bridge;
  readonly members: readonly ConnectedCall[];
}

/** Opens an engine with a bridge of three legs sending 440 / 1000 / 1800 Hz. */
export async function openRoom(t: Test, makeEngine: EngineFactory): Promise<Room> {
  const world = await openWorld(t, makeEngine);
  const bridge = await within(world.engine.createBridge('contract-room'), 5000, 'createBridge');
  const members: ConnectedCall[] = [];
  for (const [i, frequency] of TONES.entries()) {
    const member = await world.callIn({ from: `49301230${i}` });
    member.call.rtp.setSource(toneSource(frequency));
    await within(bridge.add(member.leg), 5000, 'bridge.add');
    members.push(member);
  }
  return { world, bridge, members };
}

/** Listens for `ms` and returns what each member heard. */
export async function listen(room: Room, ms = 1500): Promise<Int16Array[]> {
  await sleep(300); // let jitter buffers and mixer state settle after a change
  const marks = room.members.map((m) => m.call.rtp.receivedSamples);
  await sleep(ms);
  return room.members.map((m, i) => m.call.rtp.receivedSince(marks[i]));
}

/** Energy fractions at the talkers' and the hold music's frequencies, for messages. */
export function fractions(heard: Int16Array): string {
  return [...TONES, 600].map((f) => `${f} Hz ${(energyFraction(heard, f) * 100).toFixed(1)} %`).join(', ');
}

/** Asserts member `who` hears exactly the tones in `expected` (≥ 10 % each) and none of the others (< 1 %). */
export function assertHears(t: Test, heard: Int16Array, who: number, expected: readonly number[]): void {
  t.ok(heard.length >= 8000, `leg ${TONES[who] ?? who} Hz received audio (${heard.length} samples)`);
  for (const f of TONES) {
    const fraction = energyFraction(heard, f);
    if (expected.includes(f)) t.ok(fraction >= 0.1, `leg ${TONES[who] ?? who} Hz hears ${f} Hz ≥ 10 % [${fractions(heard)}]`);
    else t.ok(fraction < 0.01, `leg ${TONES[who] ?? who} Hz does not hear ${f} Hz (< 1 %) [${fractions(heard)}]`);
  }
}
