import type { LegRole, LiveLeg } from '../../domain/live-view.ts';
import type { Actor } from '../host-commands.ts';

/** What a host asks to dial: a number (international, or national in the trunk's country), the guest's name and role. */
export interface RoomDialRequest {
  readonly number: string;
  /** The name live status shows (the host's word wins over any look-up). */
  readonly name?: string | null;
  readonly role?: LegRole;
}

/**
 * Dial-out from a room, shared by the HTTP API and a host's keypad. `dial` resolves as soon
 * as the INVITE is on its way, with the new leg (`dialing`); live status then shows
 * `ringing`, `in-ivr` (the guest hears "… invites you; press 1 to join"), `joined`, or
 * `failed` and a `leg-left` with the reason. Rejects before any SIP with the dial policy's
 * code, `DIAL_NUMBER_INVALID`, `TRUNK_NOT_CONFIGURED`, `CONFERENCE_NOT_ACTIVE`, or
 * `FORBIDDEN`/`NOT_FOUND` from the permission table (`room.dial`). A dial into a room with
 * no running conference starts one when the requester may (`room.start`: the host side, from
 * the API); anyone else gets `CONFERENCE_NOT_ACTIVE`.
 */
export interface RoomDialOut {
  dial(roomId: string, request: RoomDialRequest, actor: Actor): Promise<LiveLeg>;
  /** Cancels a dial not yet joined (CANCEL while ringing, hang-up while asked to press 1). `NOT_FOUND` otherwise. */
  cancel(roomId: string, legId: string, actor: Actor): Promise<void>;
}
