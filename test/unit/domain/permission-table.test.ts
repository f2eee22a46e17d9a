/**
 * The permission table (docs/administration.md, "The permission table") as an explicit
 * expectation table of `decide`: for every action and a representative set of principals,
 * the answer written out by hand from the spec — never re-derived from PERMISSION_TABLE.
 *
 * Letters: A = 'allow', F = 'forbidden' (visible, 403), N = 'not-found' (invisible, 404).
 */
import t from 'tap';
import { ACTIONS, decide, type Action, type Decision } from '../../../src/domain/permissions.ts';
import type { Principal, Target } from '../../../src/domain/principal.ts';

const A_ACCOUNT = 'acct-a';
const B_ACCOUNT = 'acct-b';

const user = (id: string, accountId: string, role: 'admin' | 'host' | 'delegate', actsFor: readonly string[] = []): Principal => ({
  kind: 'user',
  id,
  accountId,
  role,
  actsFor,
});

/** The principals, in the order of the columns of {@link EXPECTED}. */
const PRINCIPALS = {
  /** The operator key. */
  op: { kind: 'operator' },
  /** An admin of account A. */
  adminA: user('u-admin-a', A_ACCOUNT, 'admin'),
  /** Host H1 of account A, owner of room R1. */
  h1: user('u-h1', A_ACCOUNT, 'host'),
  /** A delegate acting for H1. */
  d1: user('u-d1', A_ACCOUNT, 'delegate', ['u-h1']),
  /** Another host of account A (owns room R2). */
  h2: user('u-h2', A_ACCOUNT, 'host'),
  /** A delegate of account A acting for H2 only. */
  d2: user('u-d2', A_ACCOUNT, 'delegate', ['u-h2']),
  /** An admin of account B. */
  adminB: user('u-admin-b', B_ACCOUNT, 'admin'),
  /** A holder of room R1's guest link. */
  guest1: { kind: 'guest', roomId: 'room-r1' },
  /** A host leg in R1 (keypad). */
  hostLeg1: { kind: 'leg', legId: 'leg-h-r1', roomId: 'room-r1', role: 'host' },
  /** A participant leg in R1. */
  partLeg1: { kind: 'leg', legId: 'leg-p-r1', roomId: 'room-r1', role: 'participant' },
  /** A host leg in another room (R2). */
  hostLeg2: { kind: 'leg', legId: 'leg-h-r2', roomId: 'room-r2', role: 'host' },
  /** A participant leg in R2. */
  partLeg2: { kind: 'leg', legId: 'leg-p-r2', roomId: 'room-r2', role: 'participant' },
} as const satisfies Record<string, Principal>;

type PrincipalName = keyof typeof PRINCIPALS;
const COLUMNS = Object.keys(PRINCIPALS) as PrincipalName[];

/** What each kind of action is done to in the main table. */
const TARGETS: { readonly [K in Target['kind']]: Extract<Target, { kind: K }> } = {
  server: { kind: 'server' },
  account: { kind: 'account', accountId: A_ACCOUNT },
  /** H1, whom D1 acts for. */
  user: { kind: 'user', accountId: A_ACCOUNT, userId: 'u-h1', actsFor: [] },
  room: { kind: 'room', accountId: A_ACCOUNT, roomId: 'room-r1', ownerUserId: 'u-h1' },
  recording: { kind: 'recording', accountId: A_ACCOUNT, roomId: 'room-r1', ownerUserId: 'u-h1' },
};

const LETTER: Record<string, Decision> = { A: 'allow', F: 'forbidden', N: 'not-found' };

/**
 * The expected decisions. Columns:
 *                    op adminA h1 d1 h2 d2 adminB guest1 hostLeg1 partLeg1 hostLeg2 partLeg2
 */
const EXPECTED: Record<Action, string> = {
  // Server-wide: only the operator; every signed-in user sees the thing exists (403), keypad and guests nothing.
  'account.create':        'A F F F F F F N N N N N',
  'account.list-all':      'A F F F F F F N N N N N',
  'service-number.manage': 'A F F F F F F N N N N N',
  // Data-subject requests over every account at once: the operator only.
  'data-request.all-accounts': 'A F F F F F F N N N N N',
  'trunk.manage':          'A F F F F F F N N N N N',
  // Account A.
  'account.read':          'A A A A A A N N N N N N',
  'account.update':        'A A F F F F N N N N N N',
  'account.lifecycle':     'A F F F F F N N N N N N',
  'account.audit':         'F A F F F F N N N N N N',
  'service-number.list':   'A A A A A A N N N N N N',
  'user.list':             'A A F F F F N N N N N N',
  'user.create':           'A A F F F F N N N N N N',
  'delegation.manage':     'A A F F F F N N N N N N',
  'contacts.read':         'F A A A A A N N N N N N',
  'contacts.manage':       'F A F F F F N N N N N N',
  'dial-policy.manage':    'F A F F F F N N N N N N',
  'webhook.manage':        'F A F F F F N N N N N N',
  'invoice.read':          'A A F F F F N N N N N N',
  // Data-subject requests about account A: its admins and the operator.
  'data-request.manage':   'A A F F F F N N N N N N',
  // User H1 (a host D1 acts for). Another host (H2) and another delegate (D2) do not see H1 at all.
  'user.read':             'A A A F N N N N N N N N',
  'user.edit-profile':     'F A A F N N N N N N N N',
  'user.change-role':      'A A F F N N N N N N N N',
  'user.remove':           'A A F F N N N N N N N N',
  'user.delegations':      'A A A A N N N N N N N N',
  'apikey.create':         'F F A F N N N N N N N N',
  'apikey.list':           'F A A F N N N N N N N N',
  'apikey.revoke':         'F A A F N N N N N N N N',
  'room.create-for':       'F A A A N N N N N N N N',
  // Click-to-call rings the user's own phone first: only the user themself.
  'call.create':           'F F A F N N N N N N N N',
  // Room R1 (owned by H1). The operator sees no customer's rooms.
  'room.read':             'N A A A N N N F F F N N',
  'room.live':             'N A A A N N N A A A N N',
  'room.control':          'N A A A N N N F A F N N',
  'room.settings':         'N A A A N N N F F F N N',
  'room.delete':           'N A A A N N N F F F N N',
  'room.history':          'N A A A N N N F F F N N',
  'room.billing-code':     'N A A A N N N F A F N N',
  'room.lift-pin-lockout': 'N A A A N N N F F F N N',
  'room.dial':             'N A A A N N N F A F N N',
  'room.start':            'N A A A N N N F F F N N',
  'leg.self':              'N F F F N N N F A A N N',
  // A recording of R1: delegates never see one; admins may list and delete but not listen.
  'recording.list':        'N A A N N N N N N N N N',
  'recording.download':    'N F A N N N N N N N N N',
  'recording.delete':      'N A A N N N N N N N N N',
};

function expectedRow(action: Action): Decision[] {
  const letters = EXPECTED[action].split(' ');
  if (letters.length !== COLUMNS.length) throw new Error(`row ${action} has ${letters.length} cells, not ${COLUMNS.length}`);
  return letters.map((letter) => {
    const decision = LETTER[letter];
    if (decision === undefined) throw new Error(`row ${action}: unknown letter ${letter}`);
    return decision;
  });
}

const actions = Object.keys(ACTIONS) as Action[];

t.test('the expectation table covers every action the domain knows, and nothing else', (t) => {
  t.same(Object.keys(EXPECTED).sort(), [...actions].sort());
  t.end();
});

t.test(`decide answers every action for every principal as the spec says (${actions.length * COLUMNS.length} cases)`, (t) => {
  for (const action of actions) {
    const target = TARGETS[ACTIONS[action]];
    const row = expectedRow(action);
    COLUMNS.forEach((name, i) => {
      t.equal(decide(PRINCIPALS[name], action, target), row[i], `${name} → ${action}`);
    });
  }
  t.end();
});

t.test('a delegate controls their host\'s room but may never edit the host\'s profile', (t) => {
  const { d1 } = PRINCIPALS;
  t.equal(decide(d1, 'room.control', TARGETS.room), 'allow');
  t.equal(decide(d1, 'room.live', TARGETS.room), 'allow');
  t.equal(decide(d1, 'room.settings', TARGETS.room), 'allow');
  t.equal(decide(d1, 'user.edit-profile', TARGETS.user), 'forbidden', 'the host is visible to the delegate, but their profile is not theirs to change');
  t.end();
});

t.test('a delegate gets not-found for every recording action, even of their host\'s room', (t) => {
  const recordingActions = actions.filter((a) => ACTIONS[a] === 'recording');
  t.same(recordingActions.sort(), ['recording.delete', 'recording.download', 'recording.list']);
  for (const action of recordingActions) {
    t.equal(decide(PRINCIPALS.d1, action, TARGETS.recording), 'not-found', action);
    t.equal(decide(PRINCIPALS.d2, action, TARGETS.recording), 'not-found', `${action} (a delegate of another host)`);
  }
  t.end();
});

t.test('an admin may list and delete recordings but not download them', (t) => {
  const { adminA } = PRINCIPALS;
  t.equal(decide(adminA, 'recording.list', TARGETS.recording), 'allow');
  t.equal(decide(adminA, 'recording.delete', TARGETS.recording), 'allow');
  t.equal(decide(adminA, 'recording.download', TARGETS.recording), 'forbidden');
  t.end();
});

t.test('nobody of another account sees anything of it, whatever their role', (t) => {
  const outsiders: Principal[] = [
    user('u-admin-b', B_ACCOUNT, 'admin'),
    user('u-host-b', B_ACCOUNT, 'host'),
    // Even a delegate of B whose host list names A's host by mistake sees nothing of A.
    user('u-delegate-b', B_ACCOUNT, 'delegate', ['u-h1']),
  ];
  const targets: Target[] = [
    TARGETS.account,
    TARGETS.user,
    { kind: 'user', accountId: A_ACCOUNT, userId: 'u-d1', actsFor: ['u-h1'] },
    { kind: 'user', accountId: A_ACCOUNT, userId: 'u-admin-a', actsFor: [] },
    TARGETS.room,
    TARGETS.recording,
  ];
  let cases = 0;
  for (const principal of outsiders) {
    for (const target of targets) {
      for (const action of actions.filter((a) => ACTIONS[a] === target.kind)) {
        const who = principal.kind === 'user' ? principal.id : principal.kind;
        t.equal(decide(principal, action, target), 'not-found', `${who} → ${action} on ${target.kind}`);
        cases++;
      }
    }
  }
  t.ok(cases > 50, `${cases} cases`);
  t.end();
});

t.test('a host stands to their own delegate as the delegator: sees the delegations, not the profile', (t) => {
  const delegate: Target = { kind: 'user', accountId: A_ACCOUNT, userId: 'u-d1', actsFor: ['u-h1'] };
  const { h1, h2, d1, adminA } = PRINCIPALS;
  t.equal(decide(h1, 'user.delegations', delegate), 'allow');
  t.equal(decide(h1, 'user.read', delegate), 'forbidden', 'profiles: own only');
  t.equal(decide(h1, 'user.edit-profile', delegate), 'forbidden');
  t.equal(decide(h1, 'apikey.revoke', delegate), 'forbidden');
  t.equal(decide(h2, 'user.delegations', delegate), 'not-found', 'a host the delegate does not act for sees nothing');
  t.equal(decide(d1, 'user.read', delegate), 'allow', 'own profile');
  t.equal(decide(d1, 'user.edit-profile', delegate), 'allow', 'own profile');
  t.equal(decide(d1, 'apikey.create', delegate), 'allow', 'own keys');
  t.equal(decide(d1, 'apikey.list', delegate), 'allow');
  t.equal(decide(d1, 'apikey.revoke', delegate), 'allow');
  t.equal(decide(d1, 'user.change-role', delegate), 'forbidden', 'nobody changes their own role but an admin');
  t.equal(decide(adminA, 'apikey.create', delegate), 'forbidden', 'an admin creates keys for themselves only');
  t.equal(decide(adminA, 'apikey.revoke', delegate), 'allow', 'an admin revokes anyone\'s in the account');
  t.end();
});

t.test('an admin is invisible to the account\'s hosts and delegates', (t) => {
  const admin: Target = { kind: 'user', accountId: A_ACCOUNT, userId: 'u-admin-a', actsFor: [] };
  t.equal(decide(PRINCIPALS.h1, 'user.read', admin), 'not-found');
  t.equal(decide(PRINCIPALS.d1, 'user.read', admin), 'not-found');
  t.equal(decide(PRINCIPALS.adminA, 'user.read', admin), 'allow');
  t.equal(decide(PRINCIPALS.op, 'user.read', admin), 'allow');
  t.end();
});

t.test('a delegate acting for several hosts runs each of their rooms and no other', (t) => {
  const both = user('u-d3', A_ACCOUNT, 'delegate', ['u-h1', 'u-h2']);
  const r2: Target = { kind: 'room', accountId: A_ACCOUNT, roomId: 'room-r2', ownerUserId: 'u-h2' };
  const r3: Target = { kind: 'room', accountId: A_ACCOUNT, roomId: 'room-r3', ownerUserId: 'u-h3' };
  t.equal(decide(both, 'room.control', TARGETS.room), 'allow');
  t.equal(decide(both, 'room.control', r2), 'allow');
  t.equal(decide(both, 'room.control', r3), 'not-found');
  t.end();
});

t.test('an action asked of the wrong kind of thing is a bug and throws', (t) => {
  t.throws(() => decide(PRINCIPALS.adminA, 'room.control', TARGETS.user));
  t.throws(() => decide(PRINCIPALS.op, 'account.create', TARGETS.account));
  t.end();
});
