import t from 'tap';
import { extractCallFacts, type RequestLike } from '../../../src/engines/freeswitch/call-facts.ts';
import { parseNameAddr, splitHeaderValues } from '../../../src/engines/freeswitch/name-addr.ts';

/** A drachtio-style request: `get` is case-insensitive and repeated headers arrive comma-joined. */
function request(uri: string, headers: Record<string, string>, meta: Partial<RequestLike> = {}): RequestLike {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    uri,
    headers: lower,
    source_address: '192.0.2.10',
    source_port: 5062,
    protocol: 'udp',
    get: (name) => lower[name.toLowerCase()],
    ...meta,
  };
}

t.test('a carrier INVITE gives every fact the product needs', async (t) => {
  const req = request('sip:+493012345@conf.example.com;user=phone', {
    'Call-ID': 'abc@192.0.2.10',
    From: '"Alice Example" <sip:+4917011111@carrier.example>;tag=1234',
    To: '<sip:+493012345@conf.example.com>',
    // Two P-Asserted-Identity lines, joined by drachtio with a comma.
    'P-Asserted-Identity': '"Alice" <sip:+4917011111@carrier.example>, <tel:+4917011111>',
    'Remote-Party-ID': '"Alice" <sip:+4917011111@carrier.example>;party=calling;privacy=full;screen=yes',
    Privacy: 'id;header',
    'User-Agent': 'CarrierSBC/1.0',
    Diversion: '<sip:+493099999@carrier.example>;reason=unconditional',
  });
  const facts = extractCallFacts(req);
  t.same(facts, {
    callId: 'abc@192.0.2.10',
    requestUri: 'sip:+493012345@conf.example.com;user=phone',
    dialledNumber: '+493012345',
    from: { displayName: 'Alice Example', uri: 'sip:+4917011111@carrier.example', user: '+4917011111' },
    to: { uri: 'sip:+493012345@conf.example.com', user: '+493012345' },
    pAssertedIdentity: [
      { displayName: 'Alice', uri: 'sip:+4917011111@carrier.example', user: '+4917011111' },
      { uri: 'tel:+4917011111', user: '+4917011111' },
    ],
    remotePartyId: {
      displayName: 'Alice',
      uri: 'sip:+4917011111@carrier.example',
      user: '+4917011111',
      params: { party: 'calling', privacy: 'full', screen: 'yes' },
    },
    privacy: ['id', 'header'],
    source: { address: '192.0.2.10', port: 5062 },
    transport: 'udp',
    headers: {
      'call-id': 'abc@192.0.2.10',
      from: '"Alice Example" <sip:+4917011111@carrier.example>;tag=1234',
      to: '<sip:+493012345@conf.example.com>',
      'p-asserted-identity': '"Alice" <sip:+4917011111@carrier.example>, <tel:+4917011111>',
      'remote-party-id': '"Alice" <sip:+4917011111@carrier.example>;party=calling;privacy=full;screen=yes',
      privacy: 'id;header',
      'user-agent': 'CarrierSBC/1.0',
      diversion: '<sip:+493099999@carrier.example>;reason=unconditional',
    },
  });
});

t.test('with the raw message, headers hold every header once: lower-cased, first value, compact forms expanded, folded lines joined', async (t) => {
  const raw = [
    'INVITE sip:1000@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1',
    'f: <sip:4930123@127.0.0.1>;tag=1',
    'To: <sip:1000@127.0.0.1>',
    'X-Custom: hello',
    'X-Custom: second',
    'Date: Sat, 28 Nov 2026 12:00:00 GMT',
    'Subject: first part',
    '  second part',
    'Content-Length: 0',
    '',
    'x-not-a-header: body',
  ].join('\r\n');
  const facts = extractCallFacts(request('sip:1000@127.0.0.1', { 'X-Custom': 'hello,second' }, { raw }));
  t.equal(facts.headers['x-custom'], 'hello', 'the first of two lines');
  t.equal(facts.headers.from, '<sip:4930123@127.0.0.1>;tag=1', 'compact f expanded');
  t.equal(facts.headers.date, 'Sat, 28 Nov 2026 12:00:00 GMT', 'a comma inside one value is kept');
  t.equal(facts.headers.subject, 'first part second part', 'folded line joined');
  t.notOk('x-not-a-header' in facts.headers, 'the body is not read');
});

t.test('a bare INVITE without identity headers gives empty facts, not an exception', async (t) => {
  const facts = extractCallFacts(request('sip:conf.example.com', {}, { protocol: 'tcp' }));
  t.equal(facts.dialledNumber, '');
  t.same(facts.from, { uri: '', user: '' });
  t.same(facts.pAssertedIdentity, []);
  t.equal(facts.remotePartyId, undefined);
  t.same(facts.privacy, []);
  t.equal(facts.transport, 'tcp');
  t.equal(facts.callId, '');
});

t.test('transports map to the port vocabulary', async (t) => {
  for (const [protocol, expected] of [
    ['udp', 'udp'],
    ['TCP', 'tcp'],
    ['tls', 'tls'],
    ['wss', 'ws'],
    ['sctp', 'udp'],
  ] as const) {
    t.equal(extractCallFacts(request('sip:1@h', {}, { protocol })).transport, expected, protocol);
  }
});

t.test('an anonymous caller keeps its display name and the anonymous URI', async (t) => {
  const facts = extractCallFacts(
    request('sip:100@h', { From: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=9', Privacy: 'id' }),
  );
  t.same(facts.from, { displayName: 'Anonymous', uri: 'sip:anonymous@anonymous.invalid', user: 'anonymous' });
  t.same(facts.privacy, ['id']);
});

t.test('header splitting respects quotes and angle brackets', async (t) => {
  t.same(splitHeaderValues('"Doe, John" <sip:1@h>, <sip:2@h;a=b,c>'), ['"Doe, John" <sip:1@h>', '<sip:2@h;a=b,c>']);
  t.same(splitHeaderValues(''), []);
  t.same(splitHeaderValues(' , ,'), []);
});

t.test('name-addr parsing handles addr-specs, escapes and broken input', async (t) => {
  t.same(parseNameAddr('sip:1@h;tag=x'), { uri: 'sip:1@h', user: '1', params: { tag: 'x' } });
  t.same(parseNameAddr('"Say \\"Hi\\"" <sip:%2B1@h>'), { displayName: 'Say "Hi"', uri: 'sip:%2B1@h', user: '+1', params: {} });
  t.same(parseNameAddr('Bob <sips:bob@h:5061>'), { displayName: 'Bob', uri: 'sips:bob@h:5061', user: 'bob', params: {} });
  t.equal(parseNameAddr('"Unclosed" <sip:1@h'), undefined);
  t.equal(parseNameAddr('<>'), undefined);
  t.equal(parseNameAddr('garbage'), undefined);
});
