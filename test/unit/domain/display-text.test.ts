import t from 'tap';
import { stripUnsafeChars } from '../../../src/domain/display-text.ts';
import { cleanName } from '../../../src/domain/leg-names.ts';
import { foundName } from '../../../src/domain/name-lookup.ts';
import { redactUrl } from '../../../src/http/log-redaction.ts';

t.test('names lose control and bidi-override characters wherever they enter, and keep everything visible', (t) => {
  t.equal(stripUnsafeChars('Alice\u202Enimda'), 'Alicenimda', 'right-to-left override');
  t.equal(stripUnsafeChars('a\u2066b\u2069c\u200Fd\u061Ce'), 'abcde', 'isolates and marks');
  t.equal(stripUnsafeChars('x\u0000y\u0085z\u009B'), 'xyz', 'C0 and C1 controls');
  t.equal(stripUnsafeChars('\uFEFFzero\u200Bwidth'), 'zerowidth', 'invisible spaces');
  t.equal(stripUnsafeChars('\u0645\u062D\u0645\u062F \u0928\u093F\u200D'), '\u0645\u062D\u0645\u062F \u0928\u093F\u200D', 'right-to-left scripts and joiners stay');
  t.equal(cleanName('  Bob\u202E\u0007 '), 'Bob', 'a host- or caller-given name');
  t.equal(cleanName('\u202E\u2066'), null, 'nothing visible is no name');
  t.same(foundName('directory', 'Carol\u202Dx'), { name: 'Carolx', source: 'directory' }, 'a looked-up name');
  t.end();
});

t.test('logged URLs keep their path and harmless parameters, never a secret-looking parameter', (t) => {
  t.equal(redactUrl('/v1/rooms/r1/live'), '/v1/rooms/r1/live');
  t.equal(redactUrl('/v1/x?token=abc&limit=5&api_key=k&sig=s'), '/v1/x?token=[redacted]&limit=5&api_key=[redacted]&sig=[redacted]');
  t.equal(redactUrl('/p?access%5Ftoken=abc&cursor=c'), '/p?access%5Ftoken=[redacted]&cursor=c', 'encoded names too');
  t.end();
});
