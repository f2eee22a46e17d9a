/**
 * Who may do what with a room's recordings (DESIGN permission table, "list and download
 * recordings"): the room's host lists, downloads and deletes; an admin of the room's account
 * lists and deletes but never downloads; delegates never see recordings at all; nobody in
 * another account sees them. Until the shared permission table (`domain/permissions.ts`,
 * issue 7) carries these actions, this is the one place the rule lives.
 */
import type { RoomSummary, User } from './access.ts';

/** Actions on recordings. */
export type RecordingAction = 'recording.list' | 'recording.download' | 'recording.delete';

/** Whether `user` may take `action` on a recording of `room`. */
export function mayOnRecording(user: User, room: Pick<RoomSummary, 'accountId' | 'ownerUserId'>, action: RecordingAction): boolean {
  if (room.accountId !== user.accountId) return false;
  if (room.ownerUserId === user.id) return true;
  if (user.role === 'admin') return action !== 'recording.download';
  return false;
}
