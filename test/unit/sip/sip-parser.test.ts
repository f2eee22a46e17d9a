import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { getHeader, getHeaderLines, getHeaderList } from '../../../src/engines/embedded/sip/sip-message.ts';
import { MAX_MESSAGE_BYTES, parseSipMessage } from '../../../src/engines/embedded/sip/sip-parser.ts';
import { serializeSipMessage } from '../../../src/engines/embedded/sip/sip-serializer.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/sip/', import.meta.url));
const validDir = `${fixtures}valid/`;
const invalidDir = `${fixtures}invalid/`;
/** Files whose text is not in canonical form (folding, leading CRLF, odd spacing): they round-trip by meaning, not bytes. */
const NON_CANONICAL = new Set(['folded-headers.sip', 'leading-crlf.sip', 'whitespace-around-colon.sip']);

t.setTimeout(30_000);

t.test('every message in the valid corpus parses', (t) => {
  for (const file of readdirSync(validDir).filter((f) => f.endsWith('.sip'))) {
    const result = parseSipMessage(readFileSync(validDir + file));
    t.ok(result.ok, `${file} parses`);
  }
  t.end();
});

t.test('serialising a parsed message gives back the same message', (t) => {
  for (const file of readdirSync(validDir).filter((f) => f.endsWith('.sip'))) {
    const bytes = readFileSync(validDir + file);
    const first = parseSipMessage(bytes);
    if (!first.ok) {
      t.fail(`${file} did not parse`);
      continue;
    }
    const again = serializeSipMessage(first.message);
    const second = parseSipMessage(again);
    t.ok(second.ok, `${file} re-parses`);
    if (second.ok) t.same(second.message, first.message, `${file} means the same after a round trip`);
    if (!NON_CANONICAL.has(file)) t.ok(again.equals(bytes), `${file} round-trips byte for byte`);
  }
  t.end();
});

t.test('every message in the invalid corpus is refused with the expected status and reason', (t) => {
  const expected = JSON.parse(readFileSync(`${invalidDir}expected.json`, 'utf8')) as Record<string, { status: number; reason: string }>;
  const files = readdirSync(invalidDir).filter((f) => f.endsWith('.sip'));
  t.equal(Object.keys(expected).length, files.length, 'every invalid file has an expectation');
  for (const file of files) {
    const result = parseSipMessage(readFileSync(invalidDir + file));
    const want = expected[file];
    t.notOk(result.ok, `${file} is refused`);
    if (!result.ok && want) {
      t.equal(result.status, want.status, `${file} status`);
      t.equal(result.reason, want.reason, `${file} reason`);
    }
  }
  t.end();
});

t.test('compact header names are looked up by their long names', (t) => {
  const r = parseSipMessage(readFileSync(`${validDir}compact-headers.sip`));
  t.ok(r.ok);
  if (!r.ok) return void t.end();
  t.equal(getHeader(r.message, 'Call-ID'), 'compact-1@192.0.2.10');
  t.equal(getHeader(r.message, 'contact'), '<sip:bob@192.0.2.10>');
  t.equal(getHeader(r.message, 'Supported'), 'timer');
  t.equal(getHeader(r.message, 'Subject'), 'compact forms');
  t.equal(getHeader(r.message, 'content-type'), 'application/sdp');
  t.equal(getHeader(r.message, 'v'), getHeader(r.message, 'Via'));
  t.end();
});

t.test('folded header lines are joined into one value', (t) => {
  const r = parseSipMessage(readFileSync(`${validDir}folded-headers.sip`));
  t.ok(r.ok);
  if (!r.ok) return void t.end();
  t.equal(getHeader(r.message, 'via'), 'SIP/2.0/UDP 192.0.2.10:5060 ;branch=z9hG4bKfolded1');
  t.equal(getHeader(r.message, 'subject'), 'one two three');
  t.end();
});

t.test('repeated headers keep their order and comma lists flatten', (t) => {
  const r = parseSipMessage(readFileSync(`${validDir}repeated-headers.sip`));
  t.ok(r.ok);
  if (!r.ok) return void t.end();
  t.equal(getHeaderLines(r.message, 'via').length, 2);
  t.same(
    getHeaderList(r.message, 'via').map((v) => /branch=(\w+)/.exec(v)?.[1]),
    ['z9hG4bKproxy2', 'z9hG4bKproxy1', 'z9hG4bKorigin'],
  );
  t.same(getHeaderLines(r.message, 'record-route'), ['<sip:192.0.2.20;lr>', '<sip:192.0.2.30;lr>']);
  t.end();
});

t.test('Content-Length counts bytes, not characters', (t) => {
  const r = parseSipMessage(readFileSync(`${validDir}utf8-body-bytes.sip`));
  t.ok(r.ok);
  if (!r.ok) return void t.end();
  t.equal(r.message.body.toString('utf8'), 'v=0\r\ns=Grüße – ünïcödé\r\n');
  t.ok(r.message.body.length > r.message.body.toString('utf8').length);
  t.end();
});

t.test('a body longer than Content-Length is cut to Content-Length', (t) => {
  const base = readFileSync(`${validDir}mixed-case-names.sip`);
  const r = parseSipMessage(Buffer.concat([base, Buffer.from('trailing junk')]));
  t.ok(r.ok);
  if (r.ok) t.equal(r.message.body.length, 0);
  t.end();
});

t.test('a datagram without Content-Length takes the rest as body; a stream takes none', (t) => {
  const text = readFileSync(`${validDir}mixed-case-names.sip`, 'latin1').replace(/content-length: 0\r\n/i, '');
  const withBody = Buffer.from(`${text}hello`, 'latin1');
  const dgram = parseSipMessage(withBody);
  t.ok(dgram.ok);
  if (dgram.ok) t.equal(dgram.message.body.toString(), 'hello');
  const stream = parseSipMessage(withBody, { stream: true });
  t.ok(stream.ok);
  if (stream.ok) t.equal(stream.message.body.length, 0);
  t.end();
});

t.test('a message over 16 KiB is refused with 413', (t) => {
  const big = Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x41);
  const r = parseSipMessage(big);
  t.notOk(r.ok);
  if (!r.ok) t.equal(r.status, 413);
  t.end();
});

t.test('a refused request still carries what was readable, for the 400', (t) => {
  const r = parseSipMessage(readFileSync(`${invalidDir}missing-call-id.sip`));
  t.notOk(r.ok);
  if (r.ok) return void t.end();
  t.equal(r.partial?.method, 'OPTIONS');
  t.ok(r.partial && getHeader(r.partial, 'via'));
  t.end();
});

t.test('random bytes never make the parser throw', (t) => {
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const valid = readdirSync(validDir).map((f) => readFileSync(validDir + f));
  for (let i = 0; i < 2000; i++) {
    const src = valid[i % valid.length] ?? Buffer.alloc(0);
    const copy = Buffer.from(src);
    const flips = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < flips; k++) copy[Math.floor(rnd() * copy.length)] = Math.floor(rnd() * 256);
    const cut = rnd() < 0.3 ? copy.subarray(0, Math.floor(rnd() * copy.length)) : copy;
    t.doesNotThrow(() => parseSipMessage(cut));
  }
  t.end();
});
