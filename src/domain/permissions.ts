import type { KeypadAction } from './keypad-map.ts';
import type { LegRole } from './live-view.ts';

/** Who is asking, as the permission rules see it. */
export type Requester =
  | { readonly kind: 'user'; readonly authorisedForRoom: boolean }
  | { readonly kind: 'leg'; readonly role: LegRole; readonly inRoom: boolean };

/** What is asked: a command on someone (or the room), or an action on oneself. */
export type Permission = 'host-command' | 'self-mute' | 'raise-hand' | 'hear-count' | 'help';

/**
 * The rules: host commands (mute/hold/drop/rename others, lock, mute all, end) need a host
 * leg in the room or an API user authorised for the room (the HTTP layer checked the room
 * is visible to them); every leg in the room may mute itself, raise its hand, hear the
 * count and ask for help.
 */
export function isAllowed(requester: Requester, permission: Permission): boolean {
  if (requester.kind === 'user') return requester.authorisedForRoom && permission === 'host-command';
  if (!requester.inRoom) return false;
  return permission === 'host-command' ? requester.role === 'host' : true;
}

/** The permission a keypad action needs. */
export function permissionFor(action: KeypadAction): Permission {
  switch (action) {
    case 'toggle-self-mute':
      return 'self-mute';
    case 'toggle-hand':
      return 'raise-hand';
    case 'hear-count':
      return 'hear-count';
    case 'help':
      return 'help';
    case 'toggle-mute-all':
    case 'toggle-lock':
    case 'toggle-recording':
    case 'toggle-recording-pause':
    case 'end-conference':
      return 'host-command';
  }
}
