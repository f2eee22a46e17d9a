import t from 'tap';
import { parseSipMessage } from '../../../src/engines/embedded/sip/sip-parser.ts';
import { StreamFramer } from '../../../src/engines/embedded/sip/stream-framer.ts';

function request(extra: readonly string[], uri = 'sip:1000@127.0.0.1'): string {
  return [`OPTIONS ${uri} SIP/2.0`, 'Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKx', 'From: <sip:a@b>;tag=1', 'To: <sip:1000@b>', 'Call-ID: c1', 'CSeq: 1 OPTIONS', 'Max-Forwards: 70', ...extra, '', ''].join('\r\n');
}

t.test('two Content-Length headers are a framing error: nothing after them is framed', async (t) => {
  const framer = new StreamFramer();
  const second = request(['Content-Length: 0']);
  const frames = framer.push(Buffer.from(request(['Content-Length: 0', `Content-Length: ${String(second.length)}`]) + second));
  t.same(frames, [{ type: 'error', status: 400, reason: 'Multiple Content-Length' }]);
  t.same(framer.push(Buffer.from(second)), [], 'and nothing ever after');
});

t.test('a partial message is pending until complete', async (t) => {
  const framer = new StreamFramer();
  const text = request(['Content-Length: 0']);
  t.same(framer.push(Buffer.from(text.slice(0, 20))), []);
  t.equal(framer.pendingBytes, 20);
  t.equal(framer.push(Buffer.from(text.slice(20)))[0]?.type, 'message');
  t.equal(framer.pendingBytes, 0);
});

t.test('Request-URI, header length and header count are bounded', async (t) => {
  t.match(parseSipMessage(Buffer.from(request(['Content-Length: 0'], `sip:${'1'.repeat(1100)}@h`)), { stream: true }), { ok: false, status: 414 });
  t.match(parseSipMessage(Buffer.from(request([`Subject: ${'x'.repeat(3000)}`, 'Content-Length: 0'])), { stream: true }), { ok: false, status: 400, reason: 'Header Too Long' });
  const many = Array.from({ length: 130 }, (_, i) => `X-H${String(i)}: v`);
  t.match(parseSipMessage(Buffer.from(request([...many, 'Content-Length: 0'])), { stream: true }), { ok: false, status: 400, reason: 'Too Many Headers' });
  t.match(parseSipMessage(Buffer.from(request(['Content-Length: 0'])), { stream: true }), { ok: true });
});
