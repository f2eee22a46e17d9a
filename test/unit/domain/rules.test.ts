import t from 'tap';
import type { User } from '../../../src/domain/access.ts';
import { DEFAULT_KEYPAD_MAP, HOST_ACTIONS, isValidKeypadMap, keypadAction } from '../../../src/domain/keypad-map.ts';
import { actionForKey, decide, type Action, type Decision } from '../../../src/domain/permissions.ts';
import type { Principal, Target } from '../../../src/domain/principal.ts';
import { DEFAULT_ROOM_SETTINGS, isValidPin, longestPinLength, matchPin, pinConflict, type PinDigest, type Room } from '../../../src/domain/room.ts';
import { pinHasher } from '../../../src/storage/pin-hash.ts';

const hashPin = pinHasher(Buffer.alloc(32, 7));
const digest = (pin: string): PinDigest => ({ hash: hashPin(pin), length: pin.length });

const room = (id: string, serviceNumber: string, participantPin: string, hostPin: string): Room => ({
  id, accountId: 'a1', ownerUserId: 'u-host', name: id, serviceNumber, participantPin: digest(participantPin), hostPin: digest(hostPin), settings: DEFAULT_ROOM_SETTINGS,
});
const rooms = [room('r1', '1000', '1111', '9999'), room('r2', '1000', '2222', '8888'), room('r3', '2000', '1111', '9999')];

t.test('a PIN opens the room on the dialled number with the role it stands for', (t) => {
  const rows: [string, string, string | null, string | null][] = [
    ['1000', '1111', 'r1', 'participant'],
    ['1000', '9999', 'r1', 'host'],
    ['1000', '2222', 'r2', 'participant'],
    ['2000', '9999', 'r3', 'host'],
    ['1000', '3333', null, null],
    ['3000', '1111', null, null],
    ['1000', '', null, null],
  ];
  for (const [sn, pin, roomId, role] of rows) {
    const m = matchPin(rooms, sn, pin, hashPin);
    t.equal(m?.room.id ?? null, roomId, `${sn}/${pin} room`);
    t.equal(m?.role ?? null, role, `${sn}/${pin} role`);
  }
  t.equal(matchPin(rooms, '1000', '1111', pinHasher(Buffer.alloc(32, 8))), null, 'digits hashed with another secret open nothing');
  t.end();
});

t.test('a PIN entry is complete at the longest PIN on the dialled number', (t) => {
  t.equal(longestPinLength(rooms, '1000'), 4, 'all PINs on 1000 have four digits');
  t.equal(longestPinLength([...rooms, room('r4', '1000', '123456', '7777')], '1000'), 6, 'a six-digit PIN lengthens the entry');
  t.equal(longestPinLength(rooms, '5555'), 12, 'a number with no rooms allows the longest PIN');
  t.end();
});

t.test('PINs must be valid, distinct and unique per service number', (t) => {
  // Validity is no longer part of pinConflict (it sees digests only): isValidPin checks the clear PIN before hashing.
  t.equal(isValidPin('12'), false, 'too short');
  t.equal(isValidPin('1234567890123'), false, 'too long');
  t.equal(isValidPin('12a4'), false, 'digits only');
  t.equal(isValidPin('9191'), true);
  const candidate = (id: string, serviceNumber: string, participantPin: string, hostPin: string) =>
    ({ id, serviceNumber, participantPin: digest(participantPin), hostPin: digest(hostPin) });
  t.equal(pinConflict(rooms, candidate('new', '1000', '4444', '4444')), 'same-pins');
  t.equal(pinConflict(rooms, candidate('new', '1000', '4444', '1111')), 'pin-in-use');
  t.equal(pinConflict(rooms, candidate('new', '1000', '8888', '4444')), 'pin-in-use', 'as either PIN');
  t.equal(pinConflict(rooms, candidate('new', '3000', '1111', '9999')), null, 'same PINs on another number are fine');
  t.equal(pinConflict(rooms, candidate('r1', '1000', '1111', '9999')), null, 'a room does not clash with itself');
  t.end();
});

const user = (id: string, role: User['role'], accountId = 'a1', actsFor: readonly string[] = []): Principal => ({ kind: 'user', id, accountId, role, actsFor });
const target: Target = { kind: 'room', accountId: 'a1', roomId: 'r1', ownerUserId: 'u-host' };

t.test('users see rooms by role, ownership and delegation, never across accounts', (t) => {
  const sees = (p: Principal): boolean => decide(p, 'room.read', target) === 'allow';
  t.equal(sees(user('u-admin', 'admin')), true, 'admin of the account');
  t.equal(sees(user('u-admin', 'admin', 'a2')), false, 'admin of another account');
  t.equal(sees(user('u-host', 'host')), true, 'owner');
  t.equal(sees(user('u-other', 'host')), false, 'another host');
  t.equal(sees(user('u-del', 'delegate', 'a1', ['u-host'])), true, 'delegate of the owner');
  t.equal(sees(user('u-del2', 'delegate', 'a1', ['u-other'])), false, 'delegate of someone else');
  t.equal(sees(user('u-del3', 'delegate', 'a1', ['u-other', 'u-host'])), true, 'a delegate of several hosts, the owner among them');
  t.end();
});

t.test('permissions: host commands need a host leg or an authorised user; self actions are for every leg', (t) => {
  // Brief port of the old isAllowed table; the exhaustive table of decide is permission-table.test.ts.
  // Refusals are now forbidden (403) or not-found (404) instead of false.
  const leg = (role: 'host' | 'participant', roomId = 'r1'): Principal => ({ kind: 'leg', legId: `leg-${role}`, roomId, role });
  const rows: [Principal, Action, Decision][] = [
    [leg('host'), 'room.control', 'allow'],
    [leg('participant'), 'room.control', 'forbidden'],
    [leg('participant'), actionForKey('toggle-self-mute'), 'allow'],
    [leg('participant'), actionForKey('toggle-hand'), 'allow'],
    [leg('participant'), actionForKey('hear-count'), 'allow'],
    [leg('host', 'r2'), 'room.control', 'not-found'],
    [user('u-host', 'host'), 'room.control', 'allow'],
    [user('u-other', 'host'), 'room.control', 'not-found'],
    [user('u-host', 'host'), 'leg.self', 'forbidden'],
  ];
  for (const [principal, action, expected] of rows) t.equal(decide(principal, action, target), expected, `${JSON.stringify(principal)} ${action}`);
  t.end();
});

t.test('the default keypad map gives single keys and marks host keys', (t) => {
  const rows: [string, string | null, boolean][] = [
    ['1', 'toggle-self-mute', false],
    ['2', 'toggle-hand', false],
    ['3', 'hear-count', false],
    ['0', 'help', false],
    ['4', 'toggle-mute-all', true],
    ['5', 'toggle-lock', true],
    ['7', 'toggle-recording', true],
    ['8', 'toggle-recording-pause', true],
    ['9', 'end-conference', true],
    ['6', 'enter-billing-code', true],
    ['*', 'dial-out', true],
    ['#', null, false],
  ];
  for (const [digit, action, hostOnly] of rows) {
    const a = keypadAction(DEFAULT_KEYPAD_MAP, digit);
    t.equal(a, action, `key ${digit}`);
    if (a !== null) {
      t.equal(HOST_ACTIONS.has(a), hostOnly, `key ${digit} host-only`);
      const hostAction = a === 'enter-billing-code' ? 'room.billing-code' : a === 'dial-out' ? 'room.dial' : 'room.control';
      t.equal(actionForKey(a), hostOnly ? hostAction : 'leg.self', `key ${digit} action`);
    }
  }
  t.ok(isValidKeypadMap(DEFAULT_KEYPAD_MAP));
  t.notOk(isValidKeypadMap({ x: 'help' }));
  t.end();
});
