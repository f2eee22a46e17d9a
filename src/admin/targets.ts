import type { Room } from '../domain/room.ts';
import type { Target } from '../domain/principal.ts';
import type { Store } from '../storage/store.ts';

/** The permission target of a room. */
export function roomTarget(room: Pick<Room, 'id' | 'accountId' | 'ownerUserId'>): Target {
  return { kind: 'room', roomId: room.id, accountId: room.accountId, ownerUserId: room.ownerUserId };
}

/** The permission target of a user, or null when there is no such user. */
export function userTarget(store: Store, userId: string): Target | null {
  const user = store.users.get(userId);
  if (user === null) return null;
  return { kind: 'user', userId: user.id, accountId: user.accountId, actsFor: user.role === 'delegate' ? store.delegations.hostsOf(user.id) : [] };
}

/** The permission target of an account. */
export function accountTarget(accountId: string): Target {
  return { kind: 'account', accountId };
}

/** The permission target of server-wide things (accounts, service numbers). */
export const SERVER_TARGET: Target = { kind: 'server' };
