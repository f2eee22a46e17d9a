import t from 'tap';
import { inCidr, parseCidr } from '../../../src/domain/trunk-cidr.ts';

t.test('a trunk range holds exactly its addresses, IPv4 and IPv6', (t) => {
  const rows: [range: string, address: string, inside: boolean][] = [
    ['192.0.2.0/24', '192.0.2.1', true],
    ['192.0.2.0/24', '192.0.2.255', true],
    ['192.0.2.0/24', '192.0.3.0', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.7', '192.0.2.8', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['192.0.2.0/24', '::ffff:192.0.2.9', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/32', '192.0.2.1', false],
    ['::1', '::1', true],
    ['192.0.2.0/24', 'not-an-address', false],
  ];
  for (const [range, address, inside] of rows) {
    const cidr = parseCidr(range);
    if (cidr === null) throw new Error(`${range} did not parse`);
    t.equal(inCidr(cidr, address), inside, `${address} ${inside ? 'in' : 'not in'} ${range}`);
  }
  t.end();
});

t.test('a malformed range or one with host bits set is refused', (t) => {
  for (const bad of ['10.0.0.1/8', '192.0.2.0/33', '256.0.0.0/8', '192.0.2/24', 'abc', '2001:db8::/129', '1:2:3:4:5:6:7:8:9/64', '192.0.2.0/24/1', '']) {
    t.equal(parseCidr(bad), null, `${JSON.stringify(bad)} refused`);
  }
  t.end();
});
