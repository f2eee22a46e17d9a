import t from 'tap';
import { digestAuthorization, digestResponse, parseDigestChallenge } from '../../../src/engines/embedded/sip/digest.ts';

t.setTimeout(10_000);

t.test('the RFC 2617 §3.5 example gives the published MD5 response', (t) => {
  const challenge = parseDigestChallenge(
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  );
  t.ok(challenge);
  if (!challenge) return void t.end();
  t.same(challenge.qop, ['auth', 'auth-int']);
  const response = digestResponse({
    challenge,
    method: 'GET',
    uri: '/dir/index.html',
    username: 'Mufasa',
    password: 'Circle Of Life',
    nc: 1,
    cnonce: '0a4f113b',
  });
  t.equal(response, '6629fae49393a05397450978507c4ef1');
  t.end();
});

t.test('the RFC 7616 §3.9.1 examples give the published MD5 and SHA-256 responses (used by RFC 8760)', (t) => {
  const base = 'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
  const input = {
    method: 'GET',
    uri: '/dir/index.html',
    username: 'Mufasa',
    password: 'Circle of Life',
    nc: 1,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  const md5 = parseDigestChallenge(`Digest ${base}, algorithm=MD5`);
  const sha = parseDigestChallenge(`Digest ${base}, algorithm=SHA-256`);
  t.ok(md5 && sha);
  if (!md5 || !sha) return void t.end();
  t.equal(digestResponse({ ...input, challenge: md5 }), '8ca523f5e9506fed4657c9700eebdbec');
  t.equal(digestResponse({ ...input, challenge: sha }), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  t.end();
});

t.test('without qop the response is the RFC 2069 form and the header carries no nc/cnonce', (t) => {
  const challenge = parseDigestChallenge('Digest realm="sip.example", nonce="abc"');
  t.ok(challenge);
  if (!challenge) return void t.end();
  const header = digestAuthorization({ challenge, method: 'INVITE', uri: 'sip:1@sip.example', username: 'u', password: 'p' });
  t.match(header, /^Digest username="u", realm="sip.example", nonce="abc", uri="sip:1@sip.example", response="[0-9a-f]{32}", algorithm=MD5$/);
  t.end();
});

t.test('the header with qop=auth carries qop, nc and cnonce, and opaque is echoed', (t) => {
  const challenge = parseDigestChallenge('Digest realm="r", nonce="n", opaque="o", qop="auth"');
  t.ok(challenge);
  if (!challenge) return void t.end();
  const header = digestAuthorization({ challenge, method: 'INVITE', uri: 'sip:x@r', username: 'u', password: 'p', cnonce: 'c' });
  t.match(header, /, opaque="o", qop=auth, nc=00000001, cnonce="c"$/);
  t.end();
});

t.test('challenges that are not digest or lack realm/nonce are refused', (t) => {
  t.equal(parseDigestChallenge('Basic realm="x"'), undefined);
  t.equal(parseDigestChallenge('Digest nonce="x"'), undefined);
  t.equal(parseDigestChallenge('Digest realm="x", nonce="y", algorithm=AKAv1-MD5'), undefined);
  t.end();
});
