import type { LegRole } from '../domain/live-view.ts';
import type { RecordingCommand } from '../domain/recording.ts';

export type { RecordingCommand } from '../domain/recording.ts';

/** Commands on one leg, shared by the keypad and the HTTP API. */
export type LegCommand = 'mute' | 'unmute' | 'hold' | 'unhold' | 'drop';

/** Commands on a whole room's running conference. */
export type RoomCommand = 'lock' | 'unlock' | 'mute-all' | 'unmute-all' | 'end';

/** Who asked: an API user (already authorised for the room) or a leg on the keypad. */
export type Actor =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'leg'; readonly legId: string; readonly role: LegRole };

/**
 * Host actions: one implementation, two triggers (DTMF menu and HTTP). Each rejects with an
 * `AppError`: `CONFERENCE_NOT_ACTIVE` when the room has no running conference, `NOT_FOUND`
 * for a leg not in it, `FORBIDDEN` when a keypad participant uses a host command.
 */
export interface HostCommands {
  legCommand(roomId: string, legId: string, command: LegCommand, actor: Actor): Promise<void>;
  rename(roomId: string, legId: string, name: string, actor: Actor): Promise<void>;
  roomCommand(roomId: string, command: RoomCommand, actor: Actor): Promise<void>;
  /**
   * Starts, pauses, resumes or stops the room's recording, with a consent notice to every
   * leg. Rejects `RECORDING_STATE` when the command makes no sense now (start while on, …).
   */
  recordingCommand(roomId: string, command: RecordingCommand, actor: Actor): Promise<void>;
}
