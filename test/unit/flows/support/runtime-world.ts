import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Test } from 'tap';
import type { RoomSettings } from '../../../../src/domain/access.ts';
import type { KeypadMap } from '../../../../src/domain/keypad-map.ts';
import type { LiveEvent } from '../../../../src/domain/live-view.ts';
import type { NameLookupService } from '../../../../src/domain/name-lookup.ts';
import { DEFAULT_LOCKOUT_POLICY } from '../../../../src/domain/pin-lockout.ts';
import type { Room } from '../../../../src/domain/room.ts';
import { createConferenceRuntime, defaultKeypadMap, type ConferenceRuntime } from '../../../../src/flows/index.ts';
import { openStore, seedDemo, type Store } from '../../../../src/storage/index.ts';
import type { FakeClock } from './fake-clock.ts';
import { callFacts, FakeEngine, type CallScript, type FakeLeg } from './fake-engine.ts';

/** The repository's prompts. */
export const SOUNDS = fileURLToPath(new URL('../../../../sounds/', import.meta.url));

export const PARTICIPANT_PIN = '1234';
export const HOST_PIN = '9876';

/** The PIN secret the world's store is opened with (any 16 or more bytes do). */
export const PIN_SECRET = Buffer.alloc(32, 7);

/** A runtime over a fake engine and a temporary database, with the demo room on 1000. */
export interface World {
  readonly engine: FakeEngine;
  readonly store: Store;
  readonly runtime: ConferenceRuntime;
  readonly room: Room;
  /** Every live event of the demo room, in order. */
  readonly events: LiveEvent[];
  readonly dir: string;
  /** Places a call to 1000 and resolves with the answered leg. */
  call(script: CallScript, facts?: Parameters<typeof callFacts>[0]): Promise<FakeLeg>;
}

/** Polls `predicate` until it holds (every 2 ms, at most `ms`); a throwing predicate counts as false. */
export async function until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  const holds = (): boolean => {
    try {
      return predicate();
    } catch {
      return false;
    }
  };
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Builds a world; everything is closed and removed when the test ends. */
export function makeWorld(
  t: Test,
  settings: Partial<RoomSettings> = {},
  options: {
    readonly clock?: FakeClock;
    readonly keypadMap?: KeypadMap;
    readonly names?: (store: Store) => NameLookupService;
    readonly onConferenceEnded?: (store: Store) => (conferenceId: string) => void;
    /** Accept calls from addresses no trunk lists (the runtime's default: true). */
    readonly openInbound?: boolean;
  } = {},
): World {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-flows-'));
  const store = openStore(join(dir, 'db.sqlite'), PIN_SECRET);
  const seeded = seedDemo(store, { serviceNumber: '1000', participantPin: PARTICIPANT_PIN, hostPin: HOST_PIN, apiKey: 'test-key-0123456789abcdefghijkl' });
  const room = store.rooms.updateSettings(seeded.room.id, {
    waitForHost: false,
    joinMuted: false,
    maxMembers: 10,
    endWhenHostLeavesAfterSeconds: null,
    announceNames: true,
    entryExitTones: true,
    ...settings,
  });
  const engine = new FakeEngine();
  const runtime = createConferenceRuntime({
    engine,
    store,
    clock: options.clock?.clock ?? (() => new Date()),
    ...(options.clock === undefined ? {} : { timers: options.clock }),
    logger: pino({ level: 'silent' }),
    soundsDir: SOUNDS,
    recordingsDir: join(dir, 'recordings'),
    keypadMap: options.keypadMap ?? defaultKeypadMap,
    // No tarpit delays here (the domain tests cover them; these tests key many wrong PINs).
    lockoutPolicy: { ...DEFAULT_LOCKOUT_POLICY, maxDelayMs: 0 },
    nameMaxSeconds: 3,
    ...(options.names === undefined ? {} : { names: options.names(store) }),
    ...(options.onConferenceEnded === undefined ? {} : { onConferenceEnded: options.onConferenceEnded(store) }),
    ...(options.openInbound === undefined ? {} : { openInbound: options.openInbound }),
  });
  const events: LiveEvent[] = [];
  const unsubscribe = runtime.live.subscribe(room.id, (e) => events.push(e));
  t.teardown(async () => {
    unsubscribe();
    await runtime.close();
    await engine.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    engine,
    store,
    runtime,
    room,
    events,
    dir,
    async call(script, facts) {
      const offered = engine.offer(callFacts(facts), script);
      const outcome = await offered.outcome;
      if (outcome.kind !== 'answered') throw new Error(outcome.kind === 'dropped' ? 'call dropped' : `call rejected ${String(outcome.status)}`);
      return outcome.leg;
    },
  };
}

/** The runtime's leg id (the stored leg) for a fake call. */
export function legIdOf(world: World, leg: FakeLeg): string {
  const record = world.store.legs.byCallId(leg.facts.callId);
  if (record === null) throw new Error('no stored leg for this call');
  return record.id;
}

/** The fake bridge the demo room's conference runs on (the latest one). */
export function bridgeOf(world: World): import('./fake-engine.ts').FakeBridge {
  const bridge = world.engine.bridges.at(-1);
  if (bridge === undefined) throw new Error('no bridge yet');
  return bridge;
}
