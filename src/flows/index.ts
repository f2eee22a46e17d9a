/** Call flows: the join IVR, keypad controls and host commands, against the engine port. */
import { DEFAULT_KEYPAD_MAP, type KeypadMap } from '../domain/keypad-map.ts';

export { createConferenceRuntime, type ConferenceRuntime } from './conference-runtime.ts';
export type { ConferenceRuntimeDeps } from './runtime-deps.ts';
export { realTimers, type TimerHandle, type Timers } from './timers.ts';
export type { Actor, HostCommands, LegCommand, RoomCommand } from './host-commands.ts';
export { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from '../domain/pin-lockout.ts';

/** The keypad defaults documented in domain/keypad-map.ts. */
export const defaultKeypadMap: KeypadMap = DEFAULT_KEYPAD_MAP;
