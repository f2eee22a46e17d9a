import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { StreamFramer } from '../../../src/engines/embedded/sip/stream-framer.ts';

t.setTimeout(10_000);
const dir = fileURLToPath(new URL('../../fixtures/sip/valid/', import.meta.url));
const invite = readFileSync(`${dir}invite-basic.sip`);
const bye = readFileSync(`${dir}mixed-case-names.sip`);

t.test('a message split byte by byte comes out once, whole', (t) => {
  const f = new StreamFramer();
  const out = [];
  for (const b of invite) out.push(...f.push(Buffer.from([b])));
  t.equal(out.length, 1);
  t.ok(out[0]?.type === 'message' && out[0].bytes.equals(invite));
  t.end();
});

t.test('several messages in one chunk come out separately, keep-alives between them are skipped', (t) => {
  const f = new StreamFramer();
  const out = f.push(Buffer.concat([invite, Buffer.from('\r\n\r\n'), bye, invite]));
  t.same(out.map((e) => e.type), ['message', 'keepalive', 'message', 'message']);
  t.end();
});

t.test('a header section that never ends is cut off at 16 KiB with 413, and nothing more is accepted', (t) => {
  const f = new StreamFramer();
  const out = f.push(Buffer.concat([Buffer.from('INVITE sip:a@b SIP/2.0\r\n'), Buffer.alloc(17 * 1024, 0x61)]));
  t.same(out, [{ type: 'error', status: 413, reason: 'Message Too Large' }]);
  t.same(f.push(invite), []);
  t.end();
});

t.test('a Content-Length beyond 16 KiB is refused before the body is buffered', (t) => {
  const f = new StreamFramer();
  const head = bye.toString('latin1').replace(/content-length: 0/i, 'Content-Length: 70000');
  const out = f.push(Buffer.from(head, 'latin1'));
  t.same(out, [{ type: 'error', status: 413, reason: 'Message Too Large' }]);
  t.end();
});

t.test('a compact or non-numeric Content-Length is read or refused', (t) => {
  const f = new StreamFramer();
  const compact = Buffer.from(bye.toString('latin1').replace(/content-length: 0/i, 'l: 5') + 'hello', 'latin1');
  const out = f.push(compact);
  t.equal(out.length, 1);
  const g = new StreamFramer();
  t.same(g.push(Buffer.from(bye.toString('latin1').replace(/content-length: 0/i, 'Content-Length: x'), 'latin1')), [
    { type: 'error', status: 400, reason: 'Bad Content-Length' },
  ]);
  t.end();
});
