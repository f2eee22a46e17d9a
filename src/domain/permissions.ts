import type { KeypadAction } from './keypad-map.ts';
import { relationsOf, type Principal, type Relation, type Target } from './principal.ts';

/**
 * Everything a principal may ask for, with the kind of thing it is done to. The one table
 * below answers "may this principal do this to this thing?" for every trigger: the keypad,
 * the API and the page.
 */
export const ACTIONS = {
  // The operator's side: customers and the numbers they dial in on.
  'account.create': 'server',
  'account.list-all': 'server',
  'service-number.manage': 'server',
  // Carrier trunks: inbound ranges, DIDs, outbound credentials (issue 9).
  'trunk.manage': 'server',
  'account.read': 'account',
  'account.update': 'account',
  'account.lifecycle': 'account',
  'account.audit': 'account',
  'service-number.list': 'account',
  // People and their credentials.
  'user.list': 'account',
  'user.create': 'account',
  'delegation.manage': 'account',
  'contacts.read': 'account',
  'contacts.manage': 'account',
  'dial-policy.manage': 'account',
  // Integrations: an account's webhooks (their secrets, and what is sent where).
  'webhook.manage': 'account',
  'invoice.read': 'account',
  // Data-subject requests (find, export, correct, erase what is held about a person).
  'data-request.manage': 'account',
  'data-request.all-accounts': 'server',
  'user.read': 'user',
  'user.edit-profile': 'user',
  'user.change-role': 'user',
  'user.remove': 'user',
  'user.delegations': 'user',
  'apikey.create': 'user',
  'apikey.list': 'user',
  'apikey.revoke': 'user',
  'room.create-for': 'user',
  // Click-to-call: ring the user's own phone, then the contact (issue 9).
  'call.create': 'user',
  // Rooms and what runs in them.
  'room.read': 'room',
  'room.live': 'room',
  'room.control': 'room',
  'room.settings': 'room',
  'room.delete': 'room',
  'room.history': 'room',
  'room.billing-code': 'room',
  /** Lift the service number's PIN lock (too many wrong PINs). */
  'room.lift-pin-lockout': 'room',
  // Bring someone into the room by calling them (API or a host's keypad).
  'room.dial': 'room',
  /** Start the room's meeting from outside a call: a dial-out into a room where no conference runs. */
  'room.start': 'room',
  'leg.self': 'room',
  // Recordings: delegates never see them; admins may delete but not listen.
  'recording.list': 'recording',
  'recording.download': 'recording',
  'recording.delete': 'recording',
} as const satisfies Record<string, Target['kind']>;

/** An action of {@link ACTIONS}. */
export type Action = keyof typeof ACTIONS;

const HOST_SIDE: readonly Relation[] = ['admin', 'owner', 'delegate'];

/**
 * The permission table (DESIGN.md, "Permissions"): for each action, the relations that
 * allow it. A host's powers come from `owner`, a delegate's from `delegate` (acting for the
 * owner), an admin's from `admin` (any room or user of the account).
 */
export const PERMISSION_TABLE: Readonly<Record<Action, readonly Relation[]>> = {
  'account.create': ['operator'],
  'account.list-all': ['operator'],
  'service-number.manage': ['operator'],
  'trunk.manage': ['operator'],
  'account.read': ['operator', 'member'],
  'account.update': ['operator', 'admin'],
  'account.lifecycle': ['operator'],
  'account.audit': ['admin'],
  'service-number.list': ['operator', 'member'],
  'user.list': ['operator', 'admin'],
  'user.create': ['operator', 'admin'],
  'delegation.manage': ['operator', 'admin'],
  'contacts.read': ['admin', 'member'],
  'contacts.manage': ['admin'],
  'dial-policy.manage': ['admin'],
  'webhook.manage': ['admin'],
  'invoice.read': ['operator', 'admin'],
  'data-request.manage': ['operator', 'admin'],
  'data-request.all-accounts': ['operator'],
  'user.read': ['operator', 'admin', 'self'],
  'user.edit-profile': ['admin', 'self'],
  'user.change-role': ['operator', 'admin'],
  'user.remove': ['operator', 'admin'],
  'user.delegations': ['operator', 'admin', 'self', 'delegate', 'delegator'],
  'apikey.create': ['self'],
  'apikey.list': ['admin', 'self'],
  'apikey.revoke': ['admin', 'self'],
  'room.create-for': ['admin', 'self', 'delegate'],
  // Only the user's own phone is rung first: a delegate or admin may not ring a host's phone.
  'call.create': ['self'],
  'room.read': HOST_SIDE,
  'room.live': [...HOST_SIDE, 'guest', 'host-leg', 'participant-leg'],
  'room.control': [...HOST_SIDE, 'host-leg'],
  'room.settings': HOST_SIDE,
  'room.delete': HOST_SIDE,
  'room.history': HOST_SIDE,
  // Before, during (API or a host's keypad) or after the conference.
  'room.billing-code': [...HOST_SIDE, 'host-leg'],
  // The host side only: a lock is lifted through the API, never from the keypad of a call.
  'room.lift-pin-lockout': HOST_SIDE,
  'room.dial': [...HOST_SIDE, 'host-leg'],
  // The host side opens a meeting by calling someone in; a leg is always inside a running one.
  'room.start': HOST_SIDE,
  'leg.self': ['host-leg', 'participant-leg'],
  'recording.list': ['admin', 'owner'],
  'recording.download': ['owner'],
  'recording.delete': ['admin', 'owner'],
};

/**
 * The relations under which a thing exists for a principal at all. Anything else answers
 * "not found", exactly as for a thing that does not exist, so that its existence never leaks.
 */
export const VISIBLE_UNDER: Readonly<Record<Target['kind'], readonly Relation[]>> = {
  server: ['operator', 'authenticated'],
  account: ['operator', 'member'],
  user: ['operator', 'admin', 'self', 'delegate', 'delegator'],
  room: [...HOST_SIDE, 'guest', 'host-leg', 'participant-leg'],
  recording: ['admin', 'owner'],
};

/** The answer: allowed, visible but not allowed (403), or not visible at all (404). */
export type Decision = 'allow' | 'forbidden' | 'not-found';

/** Whether `principal` may do `action` to `target`. Pure: the caller supplies every fact. */
export function decide(principal: Principal, action: Action, target: Target): Decision {
  if (ACTIONS[action] !== target.kind) throw new Error(`action ${action} is not done to a ${target.kind}`);
  const relations = relationsOf(principal, target);
  if (PERMISSION_TABLE[action].some((r) => relations.includes(r))) return 'allow';
  return VISIBLE_UNDER[target.kind].some((r) => relations.includes(r)) ? 'forbidden' : 'not-found';
}

/** The action a keypad key asks for: host keys control the room, the rest act on oneself. */
export function actionForKey(action: KeypadAction): Action {
  switch (action) {
    case 'toggle-self-mute':
    case 'toggle-hand':
    case 'hear-count':
    case 'help':
      return 'leg.self';
    case 'toggle-mute-all':
    case 'toggle-lock':
    case 'toggle-recording':
    case 'toggle-recording-pause':
    case 'end-conference':
      return 'room.control';
    case 'enter-billing-code':
      return 'room.billing-code';
    case 'dial-out':
      return 'room.dial';
  }
}
