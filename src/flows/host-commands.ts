import type { LegRole } from '../domain/live-view.ts';
import type { RecordingCommand } from '../domain/recording.ts';

export type { RecordingCommand } from '../domain/recording.ts';
import type { Principal } from '../domain/principal.ts';

/** Commands on one leg, shared by the keypad and the HTTP API. */
export type LegCommand = 'mute' | 'unmute' | 'hold' | 'unhold' | 'drop' | 'lower-hand';

/** Commands on a whole room's running conference. */
export type RoomCommand = 'lock' | 'unlock' | 'mute-all' | 'unmute-all' | 'end';

/** A signed-in person or API key holder, as the permission table sees them. */
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/**
 * Who asked: a person through the API (a key) or the page (a session), or a leg on the
 * keypad. Recorded with every change the command makes (leg history, audit).
 */
export type Actor =
  | { readonly kind: 'user'; readonly principal: UserPrincipal; readonly via: 'api-key' | 'session'; readonly sourceAddress?: string | null }
  | { readonly kind: 'leg'; readonly legId: string; readonly role: LegRole };

/**
 * Host actions: one implementation, two triggers (DTMF menu and HTTP). Each rejects with an
 * `AppError`: `CONFERENCE_NOT_ACTIVE` when the room has no running conference, `NOT_FOUND`
 * for a leg not in it, `FORBIDDEN` when the permission table refuses the actor
 * `room.control` (a keypad participant pressing a host key).
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
