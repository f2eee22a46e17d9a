import t from 'tap';
import { parseDialNumber, type DialNumberType } from '../../../src/domain/dial-number.ts';
import { DEFAULT_DIAL_POLICY, decideDial, slowDownSeconds, type AccountDialPolicy, type DialPolicy, type DialUsage } from '../../../src/domain/dial-policy.ts';
import { isAppError } from '../../../src/lib/errors.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const IDLE: DialUsage = { accountConcurrent: 0, roomConcurrent: 0, accountAttemptsLastHour: 0, accountAttemptsLastDay: 0, consecutiveFailures: 0, lastFailureAt: null };
const OPERATOR: DialPolicy = { ...DEFAULT_DIAL_POLICY, destinations: ['GB', 'DE', '+1'] };

t.test('numbers typed or keyed normalise to E.164 with their type', (t) => {
  const rows: [raw: string, country: 'GB' | 'DE' | undefined, e164: string, type: DialNumberType][] = [
    ['+44 20 7946 0018', undefined, '+442079460018', 'FIXED_LINE'],
    ['0044 7911 123456', undefined, '+447911123456', 'MOBILE'],
    ['020 7946 0018', 'GB', '+442079460018', 'FIXED_LINE'],
    ['030 1234567', 'DE', '+49301234567', 'FIXED_LINE'],
    ['+44 909 879 0000', undefined, '+449098790000', 'PREMIUM_RATE'],
    ['+44 871 234 5678', undefined, '+448712345678', 'PREMIUM_RATE'],
    ['+44 70 1234 5678', undefined, '+447012345678', 'PERSONAL_NUMBER'],
    ['+44 55 1234 5678', undefined, '+445512345678', 'UAN'],
    ['+1 900 555 1234', undefined, '+19005551234', 'PREMIUM_RATE'],
    ['+1 800 555 1234', undefined, '+18005551234', 'TOLL_FREE'],
    ['+870 772 123 456', undefined, '+870772123456', 'SATELLITE'],
  ];
  for (const [raw, country, e164, type] of rows) {
    const n = parseDialNumber(raw, country);
    t.equal(n.e164, e164, `${raw} → ${e164}`);
    t.equal(n.type, type, `${raw} is ${type}`);
  }
  t.end();
});

t.test('a malformed, impossible or country-less national number is refused naming the field', (t) => {
  const rows: [raw: string, country: 'GB' | undefined][] = [['abc', 'GB'], ['+44 12', undefined], ['', 'GB'], ['020 7946 0018', undefined], ['+44 20 7946 0018; drop', undefined], ['+999 123456789', undefined]];
  for (const [raw, country] of rows) {
    try {
      parseDialNumber(raw, country, 'body/number');
      t.fail(`${raw} accepted`);
    } catch (err) {
      t.ok(isAppError(err, 'DIAL_NUMBER_INVALID'), `${JSON.stringify(raw)} is DIAL_NUMBER_INVALID`);
      t.match((err as Error).message, /^body\/number /, 'the message names the field');
    }
  }
  t.end();
});

t.test('the dial policy decides destinations, number types, caps and slowing', (t) => {
  const rows: [label: string, raw: string, usage: Partial<DialUsage>, account: AccountDialPolicy | undefined, expected: string][] = [
    ['a London landline', '+442079460018', {}, undefined, 'allow'],
    ['a US toll-free number (prefix +1 listed)', '+18005551234', {}, undefined, 'allow'],
    ['France is not on the operator list', '+33142685300', {}, undefined, 'DIAL_REFUSED_DESTINATION'],
    ['an account narrows to Germany', '+442079460018', {}, { destinations: ['DE'] }, 'DIAL_REFUSED_DESTINATION'],
    ['an account cannot widen the operator list', '+33142685300', {}, { destinations: ['*'] }, 'DIAL_REFUSED_DESTINATION'],
    ['an account prefix inside the operator list', '+442079460018', {}, { destinations: ['+4420'] }, 'allow'],
    ['premium rate is refused by default', '+449098790000', {}, undefined, 'DIAL_REFUSED_NUMBER_TYPE'],
    ['premium rate when the account allows it', '+449098790000', {}, { allowedTypes: ['PREMIUM_RATE'] }, 'allow'],
    ['UAN refused', '+445512345678', {}, undefined, 'DIAL_REFUSED_NUMBER_TYPE'],
    ['personal number refused', '+447012345678', {}, undefined, 'DIAL_REFUSED_NUMBER_TYPE'],
    ['account concurrency cap reached', '+442079460018', { accountConcurrent: 10 }, undefined, 'DIAL_LIMIT_CONCURRENT'],
    ['a stricter account concurrency cap', '+442079460018', { accountConcurrent: 2 }, { maxConcurrentPerAccount: 2 }, 'DIAL_LIMIT_CONCURRENT'],
    ['an account cannot raise the cap', '+442079460018', { accountConcurrent: 10 }, { maxConcurrentPerAccount: 50 }, 'DIAL_LIMIT_CONCURRENT'],
    ['room concurrency cap reached', '+442079460018', { roomConcurrent: 5 }, undefined, 'DIAL_LIMIT_CONCURRENT'],
    ['hourly attempts used up', '+442079460018', { accountAttemptsLastHour: 60 }, undefined, 'DIAL_LIMIT_RATE'],
    ['daily attempts used up', '+442079460018', { accountAttemptsLastDay: 300 }, undefined, 'DIAL_LIMIT_RATE'],
    ['two failures: not slowed yet', '+442079460018', { consecutiveFailures: 2, lastFailureAt: NOW }, undefined, 'allow'],
    ['three failures a moment ago: slowed', '+442079460018', { consecutiveFailures: 3, lastFailureAt: new Date(NOW.getTime() - 10_000) }, undefined, 'DIAL_SLOWED'],
    ['three failures over a minute ago: allowed', '+442079460018', { consecutiveFailures: 3, lastFailureAt: new Date(NOW.getTime() - 61_000) }, undefined, 'allow'],
    ['four failures a minute ago: still slowed (doubled)', '+442079460018', { consecutiveFailures: 4, lastFailureAt: new Date(NOW.getTime() - 61_000) }, undefined, 'DIAL_SLOWED'],
  ];
  for (const [label, raw, usage, account, expected] of rows) {
    const d = decideDial({ number: parseDialNumber(raw, undefined), operator: OPERATOR, ...(account === undefined ? {} : { account }), usage: { ...IDLE, ...usage }, now: NOW });
    t.equal(d.allowed ? 'allow' : d.code, expected, label);
  }
  t.end();
});

t.test('slowing doubles per further failure and never exceeds a day', (t) => {
  t.same([2, 3, 4, 5, 30].map((n) => slowDownSeconds(DEFAULT_DIAL_POLICY, n)), [0, 60, 120, 240, 86_400]);
  const d = decideDial({ number: parseDialNumber('+442079460018', undefined), operator: OPERATOR, usage: { ...IDLE, consecutiveFailures: 3, lastFailureAt: new Date(NOW.getTime() - 15_000) }, now: NOW });
  t.same(d, { allowed: false, code: 'DIAL_SLOWED', reason: 'repeated-failures', retryAfterSeconds: 45 }, 'the refusal says when to retry');
  t.end();
});
