/**
 * The log guard through the real logger: personal data is scrubbed wherever it occurs in a
 * line — a nested field, a message, an error's message and stack, a SIP message logged as
 * text — and values seen on calls (a PIN, a name) are scrubbed even in fields whose name says
 * nothing; identifiers and ordinary numbers stay readable.
 */
import t from 'tap';
import { createLogger } from '../../../src/observability/logger.ts';
import { forgetSensitiveValues, rememberSensitive } from '../../../src/observability/sensitive-values.ts';

function capture(): { log: ReturnType<typeof createLogger>; text: () => string; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const log = createLogger('trace', { write: (line: string) => lines.push(line) });
  return { log, text: () => lines.join(''), lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

t.afterEach(() => {
  forgetSensitiveValues();
});

t.test('numbers deep in objects, in messages and in errors are scrubbed', async (t) => {
  const { log, text } = capture();
  log.trace({ call: { leg: { caller: { number: '+4930555012345' } } }, note: 'caller +4930555012345 dialled' }, 'offer from 4930555012345');
  log.error({ err: new Error('lookup failed for +4930555012345') }, 'directory error');
  log.info({ detail: ['tel:+4930555012345', { inner: { deeper: { e164: '+4930555012345' } } }] }, 'list');
  t.notOk(text().includes('555012345'), `no digits of the number anywhere: ${text()}`);
  t.ok(text().includes('directory error') && text().includes('lookup failed for'), 'the rest of the message stays');
});

t.test('a SIP message logged as text loses its URI users and display names', async (t) => {
  const { log, text } = capture();
  const invite = [
    'INVITE sip:1000@127.0.0.1:5060 SIP/2.0',
    'From: "Jane Secret" <sip:+4930555012399@127.0.0.1>;tag=1',
    'To: <sip:1000@127.0.0.1>',
    'P-Asserted-Identity: Jane Secret <sip:+4930555012399@127.0.0.1;user=phone>',
    'Privacy: id',
  ].join('\r\n');
  log.trace({ message: invite, callId: 'abc-1234567890@host' }, 'sip message received');
  t.notOk(/Jane|Secret|4930555012399/.test(text()), `no name or number: ${text()}`);
  t.ok(text().includes('abc-1234567890@host'), 'the Call-ID (an identifier) is kept for correlation');
  t.ok(text().includes('Privacy: id'), 'the rest of the message is kept');
});

t.test('values seen on calls are scrubbed wherever they occur', async (t) => {
  const { log, text, lines } = capture();
  rememberSensitive('4711', 'Renate Rename', null, '+4930555012377');
  log.info({ entered: '4711#', who: 'Renate Rename', uri: 'sip:4930555012377@x', port: 4711, count: 3 }, 'keyed 4711 as Renate Rename');
  t.notOk(/4711#|Renate|4930555012377/.test(text()), `no PIN, name or number: ${text()}`);
  t.equal(lines()[0]?.port, 4711, 'numeric fields are numbers, not personal data, and stay');
  t.equal(lines()[0]?.count, 3);
});

t.test('a remembered value is scrubbed as a whole word, not inside longer words', async (t) => {
  const { log, text } = capture();
  rememberSensitive('Ann');
  log.info({ note: 'Annual report; caller Ann joined; ANN.' }, 'Ann said hello');
  t.equal(text().match(/Ann/g)?.length, 1, `only "Annual" keeps its letters: ${text()}`);
  t.ok(text().includes('caller [redacted] joined') && text().includes('"msg":"[redacted] said hello"'));
});

t.test('sensitive field names are redacted at any depth; identifiers stay', async (t) => {
  const { log, lines } = capture();
  log.info({ a: { b: { c: { pin: '1234', displayName: 'X Y', digits: '99' } } }, legId: 'leg-1', conferenceId: 'conf-2' }, 'nested');
  const line = lines()[0] as { a: { b: { c: Record<string, unknown> } }; legId: string; conferenceId: string };
  t.same(line.a.b.c, { pin: '[redacted]', displayName: '[redacted]', digits: '[redacted]' });
  t.equal(line.legId, 'leg-1');
  t.equal(line.conferenceId, 'conf-2');
});
