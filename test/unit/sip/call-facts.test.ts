import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { callFactsFromInvite } from '../../../src/engines/embedded/call-facts-from-invite.ts';
import { dtmfFromInfo } from '../../../src/engines/embedded/sip-info-dtmf.ts';
import { parseSipMessage } from '../../../src/engines/embedded/sip/sip-parser.ts';

t.setTimeout(10_000);
const dir = fileURLToPath(new URL('../../fixtures/sip/valid/', import.meta.url));

t.test('call facts are filled from the INVITE as received', (t) => {
  const r = parseSipMessage(readFileSync(`${dir}identity-headers.sip`));
  if (!r.ok || r.message.kind !== 'request') {
    t.fail('fixture did not parse as a request');
    return void t.end();
  }
  const facts = callFactsFromInvite(r.message, { transport: 'tcp', address: '198.51.100.7', port: 5062 });
  t.equal(facts.dialledNumber, '08001234567');
  t.equal(facts.requestUri, 'sip:08001234567@192.0.2.1;user=phone');
  t.same(facts.from, { displayName: 'Anonymous', uri: 'sip:anonymous@anonymous.invalid', user: 'anonymous' });
  t.same(facts.pAssertedIdentity, [
    { displayName: 'Erika M', uri: 'sip:+4930999@carrier.example', user: '+4930999' },
    { uri: 'tel:+4930999', user: '+4930999' },
    { uri: 'sip:+4930888@carrier.example', user: '+4930888' },
  ]);
  t.same(facts.remotePartyId, {
    displayName: 'Erika M',
    uri: 'sip:+4930999@carrier.example',
    user: '+4930999',
    params: { party: 'calling', privacy: 'full', screen: 'yes' },
  });
  t.same(facts.privacy, ['id', 'header']);
  t.same(facts.source, { address: '198.51.100.7', port: 5062 });
  t.equal(facts.transport, 'tcp');
  t.equal(facts.headers['call-id'], 'pai-1@192.0.2.10');
  t.end();
});

t.test('SIP INFO bodies give DTMF digits; anything else gives none', (t) => {
  const rows: [string | undefined, string, string | undefined][] = [
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5'],
    ['application/dtmf-relay', 'Signal= *\r\nDuration= 250\r\n', '*'],
    ['Application/DTMF-Relay; charset=x', 'signal=#', '#'],
    ['application/dtmf-relay', 'Signal=11', '#'],
    ['application/dtmf-relay', 'Signal=10', '*'],
    ['application/dtmf', '7', '7'],
    ['application/dtmf', 'd', 'D'],
    ['application/dtmf-relay', 'Signal=Z', undefined],
    ['application/dtmf-relay', 'Duration=160', undefined],
    ['text/plain', 'Signal=5', undefined],
    [undefined, '5', undefined],
  ];
  for (const [type, body, want] of rows) t.equal(dtmfFromInfo(type, Buffer.from(body)), want, `${String(type)} ${JSON.stringify(body)}`);
  t.end();
});
