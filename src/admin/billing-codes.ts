import { cleanBillingCode } from '../domain/billing-code.ts';
import type { ConferenceRecord } from '../domain/conference.ts';
import type { Room } from '../domain/room.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { badField } from './validation.ts';

function checked(code: string | null): string | null {
  const clean = cleanBillingCode(code);
  if (clean === undefined) throw badField('body/billingCode', 'must be at most 32 letters, digits or . _ / - (starting with a letter or digit)');
  return clean;
}

/** Sets the room's billing code (for its next conferences); null clears it. */
export function setRoomBillingCode(ctx: AdminContext, room: Room, code: string | null): string | null {
  const clean = checked(code);
  ctx.store.rooms.setBillingCode(room.id, clean);
  audit(ctx, { accountId: room.accountId, action: 'room.billing-code-set', target: { kind: 'room', id: room.id }, detail: { billingCode: clean } });
  return clean;
}

/** Sets one conference's billing code, while it runs or after it ended; null clears it. */
export function setConferenceBillingCode(ctx: AdminContext, room: Room, conference: ConferenceRecord, code: string | null): string | null {
  const clean = checked(code);
  ctx.store.conferences.setBillingCode(conference.id, clean);
  audit(ctx, { accountId: room.accountId, action: 'conference.billing-code-set', target: { kind: 'conference', id: conference.id }, detail: { billingCode: clean, roomId: room.id } });
  return clean;
}
