import t from 'tap';
import { buildDialRequest, cancelStatus } from '../../../src/engines/freeswitch/dial-request.ts';
import { isAppError } from '../../../src/lib/errors.ts';

const SDP = 'v=0\r\n';

t.test('a presented caller ID goes in From (via drachtio) and P-Asserted-Identity', async (t) => {
  const r = buildDialRequest({ target: 'sip:+4930123@carrier.example', callerId: '+4930999', callerName: 'Conf' }, SDP);
  t.equal(r.uri, 'sip:+4930123@carrier.example');
  t.same(r.options, {
    localSdp: SDP,
    headers: { 'P-Asserted-Identity': '<sip:+4930999@carrier.example>' },
    callingNumber: '+4930999',
    callingName: 'Conf',
  });
});

t.test('a withheld caller ID sends an anonymous From, Privacy: id and still asserts the identity', async (t) => {
  const r = buildDialRequest({ target: 'sip:+4930123@carrier.example', callerId: '+4930999', withholdCallerId: true }, SDP);
  t.same(r.options.headers, {
    'P-Asserted-Identity': '<sip:+4930999@carrier.example>',
    From: '"Anonymous" <sip:anonymous@anonymous.invalid>',
    Privacy: 'id',
  });
  t.equal(r.options.callingNumber, undefined);
});

t.test('the trunk gives the outbound proxy and digest credentials', async (t) => {
  const r = buildDialRequest(
    {
      target: 'sip:+4930123@carrier.example',
      trunk: { outboundProxy: 'sip:127.0.0.1:5070;transport=udp', username: 'u', password: 'p' },
    },
    SDP,
  );
  t.equal(r.options.proxy, 'sip:127.0.0.1:5070;transport=udp');
  t.same(r.options.auth, { username: 'u', password: 'p' });
});

t.test('bad targets and caller IDs are refused before anything is sent', async (t) => {
  for (const target of ['+4930123', 'sip:a b@h', 'http://x']) {
    try {
      buildDialRequest({ target }, SDP);
      t.fail(target);
    } catch (err) {
      t.ok(isAppError(err, 'BAD_REQUEST'), target);
    }
  }
  t.throws(() => buildDialRequest({ target: 'sip:1@h', callerId: '1\r\nX-Evil: 1' }, SDP), /caller ID/);
});

t.test('a cancelled dial reports 487, an unanswered one 408', async (t) => {
  t.same(cancelStatus('abort'), { status: 487, reason: 'Request Terminated' });
  t.same(cancelStatus('ring-timeout'), { status: 408, reason: 'Request Timeout' });
});
