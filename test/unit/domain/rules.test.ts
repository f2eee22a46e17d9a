import t from 'tap';
import type { User } from '../../../src/domain/access.ts';
import { maySeeRoom } from '../../../src/domain/account.ts';
import { DEFAULT_KEYPAD_MAP, HOST_ACTIONS, isValidKeypadMap, keypadAction } from '../../../src/domain/keypad-map.ts';
import { isAllowed, permissionFor, type Permission, type Requester } from '../../../src/domain/permissions.ts';
import { DEFAULT_ROOM_SETTINGS, longestPinLength, matchPin, pinConflict, type Room } from '../../../src/domain/room.ts';

const room = (id: string, serviceNumber: string, participantPin: string, hostPin: string): Room => ({
  id, accountId: 'a1', ownerUserId: 'u-host', name: id, serviceNumber, participantPin, hostPin, settings: DEFAULT_ROOM_SETTINGS,
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
    const m = matchPin(rooms, sn, pin);
    t.equal(m?.room.id ?? null, roomId, `${sn}/${pin} room`);
    t.equal(m?.role ?? null, role, `${sn}/${pin} role`);
  }
  t.end();
});

t.test('a PIN entry is complete at the longest PIN on the dialled number', (t) => {
  t.equal(longestPinLength(rooms, '1000'), 4, 'all PINs on 1000 have four digits');
  t.equal(longestPinLength([...rooms, room('r4', '1000', '123456', '7777')], '1000'), 6, 'a six-digit PIN lengthens the entry');
  t.equal(longestPinLength(rooms, '5555'), 12, 'a number with no rooms allows the longest PIN');
  t.end();
});

t.test('PINs must be valid, distinct and unique per service number', (t) => {
  t.equal(pinConflict(rooms, { id: 'new', serviceNumber: '1000', participantPin: '12', hostPin: '9191' }), 'invalid');
  t.equal(pinConflict(rooms, { id: 'new', serviceNumber: '1000', participantPin: '4444', hostPin: '4444' }), 'same-pins');
  t.equal(pinConflict(rooms, { id: 'new', serviceNumber: '1000', participantPin: '4444', hostPin: '1111' }), 'pin-in-use');
  t.equal(pinConflict(rooms, { id: 'new', serviceNumber: '3000', participantPin: '1111', hostPin: '9999' }), null, 'same PINs on another number are fine');
  t.equal(pinConflict(rooms, { id: 'r1', serviceNumber: '1000', participantPin: '1111', hostPin: '9999' }), null, 'a room does not clash with itself');
  t.end();
});

t.test('users see rooms by role, ownership and delegation, never across accounts', (t) => {
  const r = { accountId: 'a1', ownerUserId: 'u-host' };
  const user = (id: string, role: User['role'], accountId = 'a1'): User => ({ id, accountId, name: id, role });
  const d = [{ delegateUserId: 'u-del', hostUserId: 'u-host' }];
  t.equal(maySeeRoom(user('u-admin', 'admin'), r, d), true, 'admin of the account');
  t.equal(maySeeRoom(user('u-admin', 'admin', 'a2'), r, d), false, 'admin of another account');
  t.equal(maySeeRoom(user('u-host', 'host'), r, d), true, 'owner');
  t.equal(maySeeRoom(user('u-other', 'host'), r, d), false, 'another host');
  t.equal(maySeeRoom(user('u-del', 'delegate'), r, d), true, 'delegate of the owner');
  t.equal(maySeeRoom(user('u-del2', 'delegate'), r, d), false, 'delegate of someone else');
  t.end();
});

t.test('permissions: host commands need a host leg or an authorised user; self actions are for every leg', (t) => {
  const rows: [Requester, Permission, boolean][] = [
    [{ kind: 'leg', role: 'host', inRoom: true }, 'host-command', true],
    [{ kind: 'leg', role: 'participant', inRoom: true }, 'host-command', false],
    [{ kind: 'leg', role: 'participant', inRoom: true }, 'self-mute', true],
    [{ kind: 'leg', role: 'participant', inRoom: true }, 'raise-hand', true],
    [{ kind: 'leg', role: 'participant', inRoom: true }, 'hear-count', true],
    [{ kind: 'leg', role: 'host', inRoom: false }, 'host-command', false],
    [{ kind: 'user', authorisedForRoom: true }, 'host-command', true],
    [{ kind: 'user', authorisedForRoom: false }, 'host-command', false],
    [{ kind: 'user', authorisedForRoom: true }, 'self-mute', false],
  ];
  for (const [req, perm, expected] of rows) t.equal(isAllowed(req, perm), expected, `${JSON.stringify(req)} ${perm}`);
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
    ['6', null, false],
  ];
  for (const [digit, action, hostOnly] of rows) {
    const a = keypadAction(DEFAULT_KEYPAD_MAP, digit);
    t.equal(a, action, `key ${digit}`);
    if (a !== null) {
      t.equal(HOST_ACTIONS.has(a), hostOnly, `key ${digit} host-only`);
      t.equal(permissionFor(a) === 'host-command', hostOnly);
    }
  }
  t.ok(isValidKeypadMap(DEFAULT_KEYPAD_MAP));
  t.notOk(isValidKeypadMap({ x: 'help' }));
  t.end();
});
