import t from 'tap';
import { backoffDelay } from '../../../src/engines/freeswitch/backoff.ts';
import { hasSipProfile } from '../../../src/engines/freeswitch/control-connection.ts';
import { DigitCollector } from '../../../src/engines/freeswitch/digit-collector.ts';
import { parseDrachtioHostport } from '../../../src/engines/freeswitch/drachtio-hostport.ts';
import { InjectedDigits, dtmfSourceOf, parseInfoDtmf } from '../../../src/engines/freeswitch/dtmf.ts';
import { parseJsonList } from '../../../src/engines/freeswitch/json-list.ts';
import { isHoldOffer } from '../../../src/engines/freeswitch/sdp-hold.ts';
import type { CollectOptions, CollectResult } from '../../../src/ports/media-options.ts';

t.test('SIP INFO DTMF bodies of both content types give the digit', async (t) => {
  t.equal(parseInfoDtmf('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), '5');
  t.equal(parseInfoDtmf('application/dtmf-relay', 'Signal= #\r\nDuration=100'), '#');
  t.equal(parseInfoDtmf('Application/DTMF-Relay; charset=x', 'signal=11'), '#');
  t.equal(parseInfoDtmf('application/dtmf', '10'), '*');
  t.equal(parseInfoDtmf('application/dtmf', '7'), '7');
  t.equal(parseInfoDtmf('application/dtmf-relay', 'Signal=Z'), undefined);
  t.equal(parseInfoDtmf('application/media_control+xml', '<x/>'), undefined);
  t.equal(parseInfoDtmf(undefined, undefined), undefined);
});

t.test('FreeSWITCH DTMF sources map to the port vocabulary', async (t) => {
  t.equal(dtmfSourceOf('RTP'), 'rfc4733');
  t.equal(dtmfSourceOf('INBAND_AUDIO'), 'inband');
  t.equal(dtmfSourceOf('APP'), 'sip-info');
  t.equal(dtmfSourceOf(undefined), 'sip-info');
});

t.test('an injected digit is recognised once as its own echo, and forgotten after its window', async (t) => {
  let now = 1000;
  const injected = new InjectedDigits(() => now);
  injected.note('5');
  t.equal(injected.isEcho('4'), false);
  t.equal(injected.isEcho('5'), true);
  t.equal(injected.isEcho('5'), false, 'only once');
  injected.note('6', 100);
  now += 200;
  t.equal(injected.isEcho('6'), false, 'expired');
});

function collect(options: Partial<CollectOptions>, feed: (c: DigitCollector) => void): Promise<CollectResult> {
  return new Promise((resolve) => {
    const c = new DigitCollector(
      { minDigits: 1, maxDigits: 4, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 5000, ...options },
      resolve,
    );
    feed(c);
  });
}

t.test('digit collection ends on max, terminator, timeout or stop, exactly once', async (t) => {
  t.same(await collect({}, (c) => ['1', '2', '3', '4', '5'].forEach((d) => { c.push(d); })), { digits: '1234', reason: 'max' });
  t.same(await collect({ terminator: '#' }, (c) => ['4', '7', '#'].forEach((d) => { c.push(d); })), { digits: '47', reason: 'terminator' });
  t.same(await collect({ firstDigitTimeoutMs: 10 }, () => undefined), { digits: '', reason: 'timeout' });
  t.same(await collect({ interDigitTimeoutMs: 10 }, (c) => { c.push('9'); }), { digits: '9', reason: 'timeout' });
  let calls = 0;
  const c = new DigitCollector({ minDigits: 1, maxDigits: 2, firstDigitTimeoutMs: 5000, interDigitTimeoutMs: 5000 }, () => {
    calls++;
  });
  c.stop();
  c.stop();
  c.push('1');
  t.equal(calls, 1);
  t.equal(c.finished, true);
});

t.test('json_list replies give members with their switches; a missing room gives undefined', async (t) => {
  const reply = JSON.stringify([
    {
      conference_name: 'room-1',
      members: [
        { type: 'caller', id: 3, uuid: 'u-3', flags: { can_hear: true, can_speak: false } },
        { type: 'caller', id: 4, uuid: 'u-4', flags: { can_hear: false, can_speak: true } },
        { type: 'recording_node', id: 5, flags: {} },
      ],
    },
  ]);
  t.same(parseJsonList(reply), [
    { memberId: '3', uuid: 'u-3', muted: true, deaf: false },
    { memberId: '4', uuid: 'u-4', muted: false, deaf: true },
  ]);
  t.equal(parseJsonList('-ERR Conference room-1 not found\n'), undefined);
  t.equal(parseJsonList('[{broken'), undefined);
  t.same(parseJsonList('[]'), []);
});

t.test('drachtio hostport strings give the UDP SIP address', async (t) => {
  t.same(parseDrachtioHostport('tcp/10.0.0.5:5060,udp/10.0.0.5:5060'), { host: '10.0.0.5', port: 5060 });
  t.same(parseDrachtioHostport('tcp/[::1]:5080'), { host: '::1', port: 5080 });
  t.equal(parseDrachtioHostport(''), undefined);
});

t.test('reconnect delays grow and are capped', async (t) => {
  const noJitter = (): number => 0;
  t.equal(backoffDelay(0, 10_000, 250, noJitter), 250);
  t.equal(backoffDelay(3, 10_000, 250, noJitter), 2000);
  t.equal(backoffDelay(50, 10_000, 250, noJitter), 10_000);
  t.ok(backoffDelay(50, 10_000, 250, () => 1) >= 8000);
});

t.test('the SIP profile check reads sofia status like fsmrf does', async (t) => {
  const status = [
    '                     Name\t    Type\t                                      Data\tState',
    '=================================================================================================',
    '             drachtio_mrf\tprofile\t             sip:mod_sofia@127.0.0.1:5080\tRUNNING (0)',
    '1 profile 0 aliases',
  ].join('\n');
  t.equal(hasSipProfile(status, 'drachtio_mrf'), true);
  t.equal(hasSipProfile(status, 'internal'), false);
  t.equal(hasSipProfile(status, 'drachtio.mrf'), false, 'the name is not a pattern');
});

t.test('hold offers are sendonly, inactive or c=0.0.0.0', async (t) => {
  const sdp = (dir: string, ip = '192.0.2.1'): string =>
    `v=0\r\no=- 1 1 IN IP4 ${ip}\r\ns=-\r\nc=IN IP4 ${ip}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n${dir}`;
  t.equal(isHoldOffer(sdp('a=sendonly\r\n')), true);
  t.equal(isHoldOffer(sdp('a=inactive\r\n')), true);
  t.equal(isHoldOffer(sdp('a=sendrecv\r\n', '0.0.0.0')), true);
  t.equal(isHoldOffer(sdp('a=sendrecv\r\n')), false);
  t.equal(isHoldOffer(sdp('')), false);
  t.equal(isHoldOffer('nonsense'), false);
});
