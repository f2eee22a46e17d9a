import { randomBytes } from 'node:crypto';
import type { Room } from '../domain/room.ts';
import { audit, type AdminContext } from './admin-context.ts';

/** The page a guest link opens; the token travels in the fragment, which browsers never send. */
export const GUEST_PAGE = '/guest.html';

/** A guest link as shown once, when made. */
export interface GuestLink {
  /** The secret (32 random bytes, base64url); stored only as its hash. */
  readonly token: string;
  /** The path to hand to guests: `/guest.html#<token>`. */
  readonly path: string;
}

/**
 * Makes a new guest link for the room; the previous one stops working at once (open guest
 * views are closed by the stream guard). Audited without the token.
 */
export function rotateGuestLink(ctx: AdminContext, room: Room): GuestLink {
  const token = `dbg_${randomBytes(32).toString('base64url')}`;
  ctx.store.guestLinks.set(room.id, token, ctx.now());
  audit(ctx, { accountId: room.accountId, action: 'room.guest-link-rotated', target: { kind: 'room', id: room.id }, detail: {} });
  return { token, path: `${GUEST_PAGE}#${token}` };
}

/** Turns the room's guest link off. */
export function removeGuestLink(ctx: AdminContext, room: Room): void {
  if (ctx.store.guestLinks.remove(room.id)) {
    audit(ctx, { accountId: room.accountId, action: 'room.guest-link-removed', target: { kind: 'room', id: room.id }, detail: {} });
  }
}
