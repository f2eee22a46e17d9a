import t from 'tap';
import { callerIdentity, normaliseNumber, type IdentityHeaders } from '../../../src/domain/caller-identity.ts';

function addr(uri: string, displayName?: string) {
  const user = uri.startsWith('tel:') ? uri.slice(4) : uri.includes('@') ? (/^sips?:([^@;>]*)@/i.exec(uri)?.[1] ?? '') : '';
  return displayName === undefined ? { uri, user } : { uri, user, displayName };
}

const base: IdentityHeaders = { from: addr('sip:+4930111@carrier.example'), pAssertedIdentity: [], privacy: [] };

const cases: { name: string; headers: IdentityHeaders; number: string | null; withheld: boolean; source: string }[] = [
  { name: 'From only', headers: base, number: '+4930111', withheld: false, source: 'from' },
  {
    name: 'P-Asserted-Identity wins over From',
    headers: { ...base, pAssertedIdentity: [addr('sip:+4930222@carrier.example')] },
    number: '+4930222', withheld: false, source: 'p-asserted-identity',
  },
  {
    name: 'a tel: P-Asserted-Identity is preferred among several',
    headers: { ...base, pAssertedIdentity: [addr('sip:alice@carrier.example'), addr('tel:+4930333')] },
    number: '+4930333', withheld: false, source: 'p-asserted-identity',
  },
  {
    name: 'Remote-Party-ID is used when there is no P-Asserted-Identity',
    headers: { ...base, remotePartyId: { ...addr('sip:+4930444@carrier.example'), params: { party: 'calling', screen: 'yes' } } },
    number: '+4930444', withheld: false, source: 'remote-party-id',
  },
  {
    name: 'Privacy: id withholds (number still stored)',
    headers: { ...base, pAssertedIdentity: [addr('sip:+4930222@carrier.example')], privacy: ['id'] },
    number: '+4930222', withheld: true, source: 'p-asserted-identity',
  },
  { name: 'Privacy: ID in upper case withholds', headers: { ...base, privacy: ['ID'] }, number: '+4930111', withheld: true, source: 'from' },
  { name: 'Privacy: user withholds', headers: { ...base, privacy: ['user'] }, number: '+4930111', withheld: true, source: 'from' },
  { name: 'Privacy: header;critical withholds', headers: { ...base, privacy: ['header', 'critical'] }, number: '+4930111', withheld: true, source: 'from' },
  { name: 'Privacy: none does not withhold', headers: { ...base, privacy: ['none'] }, number: '+4930111', withheld: false, source: 'from' },
  {
    name: 'RPID privacy=full withholds',
    headers: { ...base, remotePartyId: { ...addr('sip:+4930444@c.example'), params: { privacy: 'full' } } },
    number: '+4930444', withheld: true, source: 'remote-party-id',
  },
  {
    name: 'RPID privacy=Name withholds',
    headers: { ...base, remotePartyId: { ...addr('sip:+4930444@c.example'), params: { privacy: 'Name' } } },
    number: '+4930444', withheld: true, source: 'remote-party-id',
  },
  {
    name: 'RPID privacy=off does not withhold',
    headers: { ...base, remotePartyId: { ...addr('sip:+4930444@c.example'), params: { privacy: 'off' } } },
    number: '+4930444', withheld: false, source: 'remote-party-id',
  },
  { name: 'anonymous From withholds', headers: { ...base, from: addr('sip:anonymous@anonymous.invalid') }, number: null, withheld: true, source: 'from' },
  { name: 'Anonymous in any case withholds', headers: { ...base, from: addr('sip:AnOnYmOuS@x.invalid') }, number: null, withheld: true, source: 'from' },
  { name: 'an empty user part withholds', headers: { ...base, from: addr('sip:carrier.example') }, number: null, withheld: true, source: 'from' },
  {
    name: 'anonymous From with a real PAI stays withheld',
    headers: { ...base, from: addr('sip:anonymous@anonymous.invalid'), pAssertedIdentity: [addr('sip:+4930222@c.example')] },
    number: '+4930222', withheld: true, source: 'p-asserted-identity',
  },
  { name: 'a 00-prefixed international number is normalised', headers: { ...base, from: addr('sip:004930111222@c.example') }, number: '+4930111222', withheld: false, source: 'from' },
  { name: 'an extension is kept as received', headers: { ...base, from: addr('sip:alice@pbx.example') }, number: 'alice', withheld: false, source: 'from' },
];

t.test('caller identity follows PAI, RPID, From and the privacy rules', (t) => {
  for (const c of cases) {
    const id = callerIdentity(c.headers);
    t.equal(id.number, c.number, `${c.name}: number`);
    t.equal(id.withheld, c.withheld, `${c.name}: withheld`);
    t.equal(id.source, c.source, `${c.name}: source`);
  }
  t.end();
});

t.test('a national number is normalised with a default country', (t) => {
  t.equal(normaliseNumber('030 1234567', 'DE'), '+49301234567');
  t.equal(normaliseNumber('1000'), '1000', 'a short service number stays as received');
  t.equal(normaliseNumber('anonymous'), null);
  t.end();
});

t.test('the display name comes with the identity', (t) => {
  const id = callerIdentity({ ...base, from: addr('sip:+4930111@c.example', 'Alice') });
  t.equal(id.displayName, 'Alice');
  t.equal(id.raw, 'sip:+4930111@c.example');
  t.end();
});
