import type { RoomSummary, User } from './access.ts';

/** A customer: owns users (admins, hosts, delegates) and, through its hosts, rooms. */
export interface Account {
  readonly id: string;
  readonly name: string;
  /** Months other personal data is kept; null: the server default (12). */
  readonly retentionMonths: number | null;
}

/** A delegate acts for one host: sees and runs that host's rooms. */
export interface Delegation {
  readonly delegateUserId: string;
  readonly hostUserId: string;
}

/**
 * The visibility rule of the access contract: a user sees a room of their own account when
 * they are an admin, its owner, or a delegate of its owner.
 */
export function maySeeRoom(user: User, room: Pick<RoomSummary, 'accountId' | 'ownerUserId'>, delegations: readonly Delegation[]): boolean {
  if (room.accountId !== user.accountId) return false;
  if (user.role === 'admin') return true;
  if (room.ownerUserId === user.id) return true;
  return user.role === 'delegate' && delegations.some((d) => d.delegateUserId === user.id && d.hostUserId === room.ownerUserId);
}
