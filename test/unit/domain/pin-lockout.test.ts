import t from 'tap';
import { DEFAULT_LOCKOUT_POLICY, lockedUntil, lockoutStatus, type PinAttempt } from '../../../src/domain/pin-lockout.ts';

const MIN = 60_000;
const policy = DEFAULT_LOCKOUT_POLICY;
const fail = (at: number, cli: string | null = '+491', sourceAddress = '10.0.0.1', serviceNumber = '1000'): PinAttempt => ({
  serviceNumber, cli, sourceAddress, at, ok: false,
});

t.test('defaults are 5 per caller and 20 per room in 15 minutes, locked for 15', (t) => {
  t.same(policy, { callerMaxFailures: 5, roomMaxFailures: 20, windowMs: 15 * MIN, lockoutMs: 15 * MIN });
  t.end();
});

t.test('lockout decisions over a table of histories', (t) => {
  const subject = { serviceNumber: '1000', cli: '+491', sourceAddress: '10.0.0.1' };
  const rows: [string, PinAttempt[], number, ReturnType<typeof lockoutStatus>][] = [
    ['no attempts', [], 0, { locked: false }],
    ['four failures are allowed', [0, 1, 2, 3].map((m) => fail(m * MIN)), 4 * MIN, { locked: false }],
    ['the fifth failure locks the caller', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 4 * MIN, { locked: true, scope: 'caller', until: 19 * MIN }],
    ['the lock lasts its period', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 19 * MIN - 1, { locked: true, scope: 'caller', until: 19 * MIN }],
    ['and then ends', [0, 1, 2, 3, 4].map((m) => fail(m * MIN)), 19 * MIN, { locked: false }],
    ['failures outside the window do not add up', [0, 5, 10, 16, 20].map((m) => fail(m * MIN)), 20 * MIN, { locked: false }],
    ['successes do not count', [0, 1, 2, 3].map((m) => fail(m * MIN)).concat([{ ...fail(4 * MIN), ok: true }]), 4 * MIN, { locked: false }],
    ['another caller is not locked by my failures', [0, 1, 2, 3, 4].map((m) => fail(m * MIN, '+492', '10.0.0.2')), 4 * MIN, { locked: false }],
    [
      'twenty failures on the room lock the room for everyone',
      Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`)),
      20_000,
      { locked: true, scope: 'room', until: 19_000 + 15 * MIN },
    ],
    [
      'failures on another service number do not lock this room',
      Array.from({ length: 20 }, (_, i) => fail(i * 1000, `+49${i}`, `10.0.1.${i}`, '2000')),
      20_000,
      { locked: false },
    ],
    ['attempts in the future are ignored', [0, 1, 2, 3, 4].map((m) => fail((m + 100) * MIN)), 4 * MIN, { locked: false }],
  ];
  for (const [name, attempts, now, expected] of rows) t.same(lockoutStatus(attempts, subject, now, policy), expected, name);
  t.end();
});

t.test('a caller without a number is counted by source address, among callers without a number', (t) => {
  const anon = { serviceNumber: '1000', cli: null, sourceAddress: '10.0.0.9' };
  const mine = [0, 1, 2, 3, 4].map((m) => fail(m * MIN, null, '10.0.0.9'));
  t.same(lockoutStatus(mine, anon, 5 * MIN, policy), { locked: true, scope: 'caller', until: 19 * MIN });
  const numbered = [0, 1, 2, 3, 4].map((m) => fail(m * MIN, `+49${m}`, '10.0.0.9'));
  t.same(lockoutStatus(numbered, anon, 5 * MIN, policy), { locked: false }, 'numbered callers through the same trunk do not count');
  t.end();
});

t.test('lockedUntil is driven by the latest failure that completes a window', (t) => {
  const p = { ...policy, windowMs: 10, lockoutMs: 100 };
  t.equal(lockedUntil([1, 2, 3], 3, p), 103);
  t.equal(lockedUntil([1, 2, 30], 3, p), 0);
  t.equal(lockedUntil([3, 1, 2, 4], 3, p), 104, 'unordered input and the latest trigger');
  t.end();
});
