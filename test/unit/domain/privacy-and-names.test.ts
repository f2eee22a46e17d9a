import t from 'tap';
import type { CallerIdentity } from '../../../src/domain/caller-identity.ts';
import { cleanName, NO_NAMES, resolveName } from '../../../src/domain/leg-names.ts';
import { maskCaller, WITHHELD_NAME } from '../../../src/domain/privacy.ts';

const visible: CallerIdentity = { raw: 'sip:+4930123456@x', number: '+4930123456', displayName: 'Alice', withheld: false, source: 'from' };
const withheld: CallerIdentity = { ...visible, withheld: true };
const noName: CallerIdentity = { ...visible, displayName: null };

t.test('a withheld number is masked, a visible one is not', (t) => {
  t.same(maskCaller(withheld), { number: null, numberWithheld: true });
  t.same(maskCaller(visible), { number: '+4930123456', numberWithheld: false });
  t.same(maskCaller(null), { number: null, numberWithheld: false });
  t.end();
});

t.test('the resolved name follows host-assigned, typed, display name, digits, withheld', (t) => {
  const rows: [string, Parameters<typeof resolveName>[0], CallerIdentity | null, string | null][] = [
    ['host-assigned wins', { ...NO_NAMES, hostAssigned: 'Chair', typed: 'Bob' }, visible, 'Chair'],
    ['typed next', { ...NO_NAMES, typed: 'Bob' }, visible, 'Bob'],
    ['display name next', NO_NAMES, visible, 'Alice'],
    ['last digits next', NO_NAMES, noName, 'Caller ending 456'],
    ['withheld hides the display name', NO_NAMES, withheld, WITHHELD_NAME],
    ['withheld with a typed name uses it', { ...NO_NAMES, typed: 'Bob' }, withheld, 'Bob'],
    ['withheld with only a spoken name', { ...NO_NAMES, spokenClipPath: '/r/x.wav' }, withheld, WITHHELD_NAME],
    ['blank names are skipped', { ...NO_NAMES, hostAssigned: '  ' }, noName, 'Caller ending 456'],
    ['nothing known', NO_NAMES, null, null],
  ];
  for (const [name, names, caller, expected] of rows) t.equal(resolveName(names, caller), expected, name);
  t.end();
});

t.test('no resolved name ever contains a withheld number', (t) => {
  t.notMatch(resolveName(NO_NAMES, withheld) ?? '', /3456/);
  t.end();
});

t.test('names are cleaned of control characters and trimmed', (t) => {
  t.equal(cleanName('  Bob\u0000 '), 'Bob');
  t.equal(cleanName('   '), null);
  t.equal(cleanName('x'.repeat(100))?.length, 64);
  t.end();
});
