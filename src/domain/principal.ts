import type { UserRole } from './access.ts';
import type { LegRole } from './live-view.ts';

/**
 * Who is asking, whatever the trigger: the operator key, a signed-in user or API key, a
 * guest holding a room's guest link, or a leg on the keypad. Built once per request (or per
 * key press) and handed to {@link decide} in `permissions.ts`.
 */
export type Principal =
  | { readonly kind: 'operator' }
  | {
      readonly kind: 'user';
      readonly id: string;
      readonly accountId: string;
      readonly role: UserRole;
      /** The hosts this user acts for (delegates only; empty otherwise). */
      readonly actsFor: readonly string[];
    }
  | { readonly kind: 'guest'; readonly roomId: string }
  | { readonly kind: 'leg'; readonly legId: string; readonly roomId: string; readonly role: LegRole };

/** What an action is done to. */
export type Target =
  | { readonly kind: 'server' }
  | { readonly kind: 'account'; readonly accountId: string }
  | { readonly kind: 'room'; readonly accountId: string; readonly roomId: string; readonly ownerUserId: string }
  | {
      readonly kind: 'user';
      readonly accountId: string;
      readonly userId: string;
      /** The hosts the target user acts for (when the target is a delegate). */
      readonly actsFor: readonly string[];
    }
  | { readonly kind: 'recording'; readonly accountId: string; readonly roomId: string; readonly ownerUserId: string };

/** How a principal stands to a target; the permission table is written in these. */
export type Relation =
  | 'operator'
  /** Any signed-in user (server-wide targets only). */
  | 'authenticated'
  /** An admin of the target's account. */
  | 'admin'
  /** Any user of the target's account. */
  | 'member'
  /** The host who owns the room or recording. */
  | 'owner'
  /** The target user is the principal. */
  | 'self'
  /** The principal acts for the owner (a room or recording) or for the target user. */
  | 'delegate'
  /** The target user acts for the principal. */
  | 'delegator'
  /** A holder of the room's guest link. */
  | 'guest'
  | 'host-leg'
  | 'participant-leg';

function accountOf(target: Exclude<Target, { kind: 'server' }>): string {
  return target.accountId;
}

function userRelations(p: Extract<Principal, { kind: 'user' }>, target: Target): Relation[] {
  const relations: Relation[] = [];
  if (target.kind === 'server') return ['authenticated'];
  if (accountOf(target) !== p.accountId) return relations;
  relations.push('member');
  if (p.role === 'admin') relations.push('admin');
  switch (target.kind) {
    case 'room':
    case 'recording':
      if (target.ownerUserId === p.id) relations.push('owner');
      if (p.actsFor.includes(target.ownerUserId)) relations.push('delegate');
      break;
    case 'user':
      if (target.userId === p.id) relations.push('self');
      if (p.actsFor.includes(target.userId)) relations.push('delegate');
      if (target.actsFor.includes(p.id)) relations.push('delegator');
      break;
    case 'account':
      break;
  }
  return relations;
}

/** Every relation `principal` has to `target` (empty: none at all). */
export function relationsOf(principal: Principal, target: Target): Relation[] {
  switch (principal.kind) {
    case 'operator':
      return ['operator'];
    case 'user':
      return userRelations(principal, target);
    case 'guest':
      return target.kind === 'room' && target.roomId === principal.roomId ? ['guest'] : [];
    case 'leg':
      if (target.kind !== 'room' || target.roomId !== principal.roomId) return [];
      return [principal.role === 'host' ? 'host-leg' : 'participant-leg'];
  }
}
