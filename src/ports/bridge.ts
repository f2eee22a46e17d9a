import type { TypedEmitter } from '../lib/typed-emitter.ts';
import type { AppError } from '../lib/errors.ts';
import type { WavEncoding } from '../lib/wav-format.ts';
import type { Leg } from './leg.ts';

/** Options of a room recording. */
export interface RoomRecordingOptions {
  /**
   * Sample encoding of the WAV: `ulaw` (G.711, 8 KB/s) or `pcm16` (16 KB/s, the default). An
   * engine that cannot write the one asked for writes 16-bit PCM; the file header says which.
   */
  readonly encoding?: WavEncoding;
}

/** Per-member switches when a leg is added to a bridge. */
export interface MemberOptions {
  readonly muted?: boolean;
  readonly deaf?: boolean;
}

/** Events a bridge reports. Exactly one `closed` ends it. */
export interface BridgeEvents extends Record<string, unknown[]> {
  /** A member started (`true`) or stopped (`false`) talking; energy with hysteresis, within one mixer tick. */
  talking: [legId: string, talking: boolean];
  /** A member left the bridge because its leg hung up (not because `remove` was called). */
  'member-gone': [legId: string];
  /** A room recording finished and its file is complete. */
  'recording-done': [path: string, durationMs: number];
  /**
   * Writing the room recording failed (disk full, I/O error): the recording has stopped by
   * itself, what was written before stays in the file, and `recording-done` follows.
   */
  'recording-failed': [path: string, error: AppError];
  /** The terminal event. */
  closed: [reason: string];
}

/**
 * A conference room's audio: every member hears every other unmuted member, never itself.
 *
 * - `mute`: the member is not mixed into anyone's audio. `deaf`: the member hears nothing of
 *   the room (only its own prompts). `hold`: mute + deaf + its own looping music; unhold
 *   restores the previous mute/deaf switches.
 * - Adding a leg that is in another bridge moves it. Removing a leg does not hang it up.
 * - `close()` removes every member (legs stay up), stops the room recording (finalising the
 *   file), emits `closed` once; afterwards every method rejects with `ENGINE_CLOSED`.
 */
export interface Bridge {
  readonly id: string;
  readonly closed: boolean;
  readonly events: TypedEmitter<BridgeEvents>;
  readonly memberIds: readonly string[];

  add(leg: Leg, options?: MemberOptions): Promise<void>;
  remove(leg: Leg): Promise<void>;
  setMuted(leg: Leg, muted: boolean): Promise<void>;
  setDeaf(leg: Leg, deaf: boolean): Promise<void>;
  /** Holds a member: mute + deaf + `musicFiles` looping to it alone. */
  setHeld(leg: Leg, held: boolean, musicFiles?: readonly string[]): Promise<void>;
  /** Gain for what this member says, in dB (−12…+12). */
  setVolume(leg: Leg, gainDb: number): Promise<void>;
  /** Plays files to every member who is not deaf or held; resolves when done. */
  playToAll(files: readonly string[]): Promise<void>;
  /**
   * Starts recording the room mix (every unmuted member, and `playToAll` announcements) to a
   * streaming WAV. Prompts played to one member (`Leg.play`) are never in it.
   */
  startRecording(path: string, options?: RoomRecordingOptions): Promise<void>;
  pauseRecording(): Promise<void>;
  resumeRecording(): Promise<void>;
  /** Stops and finalises the room recording; resolves with its duration. */
  stopRecording(): Promise<{ path: string; durationMs: number }>;
  close(reason?: string): Promise<void>;
}
