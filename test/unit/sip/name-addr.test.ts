import t from 'tap';
import { formatNameAddr, parseNameAddr, parseNameAddrList } from '../../../src/engines/embedded/sip/name-addr.ts';
import { parseSipUri } from '../../../src/engines/embedded/sip/sip-uri.ts';

t.setTimeout(10_000);

const cases: [string, { displayName?: string; uri: string; user: string; params: Record<string, string> }][] = [
  ['"Alice" <sip:alice@example.com>;tag=1', { displayName: 'Alice', uri: 'sip:alice@example.com', user: 'alice', params: { tag: '1' } }],
  ['Bob <sip:+4930123@carrier.example;user=phone>', { displayName: 'Bob', uri: 'sip:+4930123@carrier.example;user=phone', user: '+4930123', params: {} }],
  ['<tel:+4930999;phone-context=example>', { uri: 'tel:+4930999;phone-context=example', user: '+4930999', params: {} }],
  ['sip:carol@example.com;tag=xyz', { uri: 'sip:carol@example.com', user: 'carol', params: { tag: 'xyz' } }],
  ['"The \\"Boss\\", Inc" <sip:boss@x>', { displayName: 'The "Boss", Inc', uri: 'sip:boss@x', user: 'boss', params: {} }],
  ['"Jürgen" <sip:j%C3%BCrgen@x>', { displayName: 'Jürgen', uri: 'sip:j%C3%BCrgen@x', user: 'jürgen', params: {} }],
  ['<sip:anonymous@anonymous.invalid>;privacy=full;screen=yes;party=calling', { uri: 'sip:anonymous@anonymous.invalid', user: 'anonymous', params: { privacy: 'full', screen: 'yes', party: 'calling' } }],
  ['<sip:192.0.2.1>', { uri: 'sip:192.0.2.1', user: '', params: {} }],
];

t.test('name-addresses parse into display name, URI, user and parameters', (t) => {
  for (const [text, want] of cases) t.same(parseNameAddr(text), want, text);
  t.end();
});

t.test('things that are not name-addresses are refused', (t) => {
  t.equal(parseNameAddr('nobody'), undefined);
  t.equal(parseNameAddr('"x" <sip:unterminated'), undefined);
  t.equal(parseNameAddr(''), undefined);
  t.end();
});

t.test('comma lists across repeated headers flatten in order', (t) => {
  const list = parseNameAddrList(['"A, B" <sip:1@x>, <tel:+2>', '<sip:3@y>']);
  t.same(list.map((n) => n.user), ['1', '+2', '3']);
  t.equal(list[0]?.displayName, 'A, B');
  t.end();
});

t.test('a formatted name-address parses back to itself', (t) => {
  const text = formatNameAddr({ displayName: 'Say "hi"', uri: 'sip:a@b', params: { tag: 't' } });
  t.same(parseNameAddr(text), { displayName: 'Say "hi"', uri: 'sip:a@b', user: 'a', params: { tag: 't' } });
  t.end();
});

t.test('SIP URIs give user, host, port and parameters', (t) => {
  t.same(parseSipUri('sip:+4930@[2001:db8::1]:5070;transport=tcp'), { scheme: 'sip', user: '+4930', host: '[2001:db8::1]', port: 5070, params: { transport: 'tcp' } });
  t.same(parseSipUri('sips:user:pw@host'), { scheme: 'sips', user: 'user', host: 'host', port: undefined, params: {} });
  t.equal(parseSipUri('http://example.com'), undefined);
  t.equal(parseSipUri('sip:bad host'), undefined);
  t.end();
});
