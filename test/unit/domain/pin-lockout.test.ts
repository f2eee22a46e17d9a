import t from 'tap';
import { DEFAULT_LOCKOUT_POLICY, lockedUntil, lockoutStatus, tarpitDelay, type PinAttempt } from '../../../src/domain/pin-lockout.ts';

const MIN = 60_000;
// The decision table without the tarpit (its own test below).
const policy = { ...DEFAULT_LOCKOUT_POLICY, maxDelayMs: 0 };
const fail = (at: number, cli: string | null = '+491', sourceAddress = '10.0.0.1', serviceNumber = '1000'): PinAttempt => ({
  serviceNumber, cli, sourceAddress, at, ok: false,
});
const open = { locked: false, delayMs: 0 } as const;

t.test('defaults are 5 per number, 10 per address and 20 per service number in 15 minutes, locked for 15, delays up to 8 s', (t) => {
  t.same(DEFAULT_LOCKOUT_POLICY, { callerMaxFailures: 5, sourceMaxFailures: 10, roomMaxFailures: 20, windowMs: 15 * MIN, lockoutMs: 15 * MIN, maxDelayMs: 8000 });
  t.end();
});

t.test('lockout decisions over a table of histories', (t) => {
  const subject = { serviceNumber: '1000', cli: '+491', sourceAddress: '10.0.0.1' };
  const rows: [string, PinAttempt[], number, ReturnType<typeof lockoutStatus>][] = [
    ['no attempts', [], 0, open],
    ['four failures are allowed', [0, 1, 2, 3].map((m) => fail(m * MIN)), 4 * MIN, open],
    ['the fifth failure locks the caller', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 4 * MIN, { locked: true, scope: 'caller', until: 19 * MIN, delayMs: 0 }],
    ['the lock lasts its period', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 19 * MIN - 1, { locked: true, scope: 'caller', until: 19 * MIN, delayMs: 0 }],
    ['and then ends', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 19 * MIN, open],
    ['failures outside the window do not add up', [0, 5, 10, 16, 20].map((m) => fail(m * MIN)), 20 * MIN, open],
    ['successes do not count', [0, 1, 2, 3].map((m) => fail(m * MIN)).concat([{ ...fail(4 * MIN), ok: true }]), 4 * MIN, open],
    ['another caller is not locked by my failures', [0, 1, 2, 3, 4].map((m) => fail(m * MIN, '+492', '10.0.0.2')), 4 * MIN, open],
    [
      'ten failures from my address lock it, whatever numbers they presented',
      Array.from({ length: 10 }, (_, i) => fail(i * 1000, `+49${i}`, '10.0.0.1')),
      10_000,
      { locked: true, scope: 'source', until: 9_000 + 15 * MIN, delayMs: 0 },
    ],
    [
      'twenty failures on the service number lock it for an unknown caller',
      Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`)),
      20_000,
      { locked: true, scope: 'room', until: 19_000 + 15 * MIN, delayMs: 0 },
    ],
    [
      'failures on another service number do not lock this one',
      Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`, '2000')),
      20_000,
      open,
    ],
    ['attempts in the future are ignored', [0, 1, 2, 3, 4].map((m) => fail((m + 100) * MIN)), 4 * MIN, open],
  ];
  for (const [name, attempts, now, expected] of rows) t.same(lockoutStatus(attempts, subject, now, policy), expected, name);
  t.end();
});

t.test('the service-number lock never turns away a caller who joined the room before, nor anyone while a host is in', (t) => {
  const attack = Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`));
  const host = { serviceNumber: '1000', cli: '+4930111', sourceAddress: '127.0.0.1' };
  t.match(lockoutStatus(attack, host, 20_000, policy), { locked: true, scope: 'room' }, 'an unknown caller is turned away');
  t.same(lockoutStatus(attack, host, 20_000, policy, { knownCaller: true, hostInRoom: false }), open, 'a known caller is not');
  t.same(lockoutStatus(attack, host, 20_000, policy, { knownCaller: false, hostInRoom: true }), open, 'nor anyone while a host is in the room');
  const own = Array.from({ length: 5 }, (_, i) => fail(i * 1000, '+4930111', '127.0.0.9'));
  t.match(lockoutStatus(own, host, 5_000, policy, { knownCaller: true, hostInRoom: true }), { locked: true, scope: 'caller' }, 'an exemption does not lift the number’s own lock');
  t.end();
});

t.test('a caller without a number is counted by source address', (t) => {
  const anon = { serviceNumber: '1000', cli: null, sourceAddress: '10.0.0.9' };
  const p = { ...policy, sourceMaxFailures: 5 };
  const mine = [0, 1, 2, 3, 4].map((m) => fail(m * MIN, null, '10.0.0.9'));
  t.same(lockoutStatus(mine, anon, 5 * MIN, p), { locked: true, scope: 'source', until: 19 * MIN, delayMs: 0 });
  const rotating = [0, 1, 2, 3, 4].map((m) => fail(m * MIN, `+49${m}`, '10.0.0.9'));
  t.same(lockoutStatus(rotating, anon, 5 * MIN, p), { locked: true, scope: 'source', until: 19 * MIN, delayMs: 0 }, 'rotating numbers from one address count for the address');
  t.end();
});

t.test('the tarpit: free for half the allowance, then 1 s doubling up to the maximum; a refused unknown caller waits the maximum', (t) => {
  const p = DEFAULT_LOCKOUT_POLICY;
  t.same([0, 1, 2, 3, 4].map((n) => tarpitDelay(n, 5, p)), [0, 0, 1000, 2000, 4000], 'per number (5)');
  t.same([9, 10, 11, 12, 13, 14, 19].map((n) => tarpitDelay(n, 20, p)), [0, 1000, 2000, 4000, 8000, 8000, 8000], 'per service number (20), capped');
  t.equal(tarpitDelay(4, 5, { ...p, maxDelayMs: 0 }), 0, '0 turns it off');
  const subject = { serviceNumber: '1000', cli: '+491', sourceAddress: '10.0.0.1' };
  t.same(lockoutStatus([0, 1, 2].map((s) => fail(s * 1000)), subject, 3000, p), { locked: false, delayMs: 2000 }, 'three wrong PINs: the next try waits 2 s');
  const attack = Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`));
  const stranger = { serviceNumber: '1000', cli: '+4930999', sourceAddress: '10.9.9.9' };
  t.same(lockoutStatus(attack, stranger, 20_000, p), { locked: true, scope: 'room', until: 19_000 + 15 * MIN, delayMs: 8000 }, 'slowed, then refused');
  t.same(lockoutStatus(attack, stranger, 20_000, p, { knownCaller: true, hostInRoom: false }), { locked: false, delayMs: 0 }, 'a known caller is not slowed by the room count');
  t.end();
});

t.test('lockedUntil is driven by the latest failure that completes a window', (t) => {
  const p = { ...policy, windowMs: 10, lockoutMs: 100 };
  t.equal(lockedUntil([1, 2, 3], 3, p), 103);
  t.equal(lockedUntil([1, 2, 30], 3, p), 0);
  t.equal(lockedUntil([3, 1, 2, 4], 3, p), 104, 'unordered input and the latest trigger');
  t.end();
});
