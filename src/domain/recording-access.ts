/**
 * Recordings as targets of the permission table (`permissions.ts`): the room's host lists,
 * downloads and deletes; an admin of the room's account lists and deletes but never
 * downloads; delegates never see recordings at all; nobody in another account sees them.
 */
import { decide } from './permissions.ts';
import type { Principal } from './principal.ts';
import type { RoomSummary } from './access.ts';

/** Actions on recordings. */
export type RecordingAction = 'recording.list' | 'recording.download' | 'recording.delete';

/** Whether `principal` may take `action` on a recording of `room` (the table's answer). */
export function mayOnRecording(principal: Principal, room: Pick<RoomSummary, 'id' | 'accountId' | 'ownerUserId'>, action: RecordingAction): boolean {
  return decide(principal, action, { kind: 'recording', accountId: room.accountId, roomId: room.id, ownerUserId: room.ownerUserId }) === 'allow';
}
