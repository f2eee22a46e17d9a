import t from 'tap';
import { connectionAddressProblem } from '../../../src/engines/freeswitch/fs-offered-call.ts';
import { mediaAddressProblem } from '../../../src/lib/media-address.ts';

t.test('only IP literals of the stated family that we may send to are usable', async (t) => {
  const hold = { allowUnspecified: true };
  const fresh = { allowUnspecified: false };
  for (const ok of ['127.0.0.1', '192.0.2.10', '10.1.2.3']) t.equal(mediaAddressProblem(ok, 4, fresh), undefined, ok);
  t.equal(mediaAddressProblem('2001:db8::1', 6, fresh), undefined);
  t.equal(mediaAddressProblem('0.0.0.0', 4, hold), undefined, 'a hold in a running call');
  const bad: [string, 4 | 6, string][] = [
    ['localhost', 4, 'not an IPv4 literal'],
    ['999.1.1.1', 4, 'not an IPv4 literal'],
    ['224.0.0.1', 4, 'multicast'],
    ['239.255.255.250', 4, 'multicast'],
    ['255.255.255.255', 4, 'broadcast'],
    ['0.0.0.0', 4, 'unspecified'],
    ['0.1.2.3', 4, 'reserved'],
    ['::1', 4, 'not IPv4'],
    ['127.0.0.1', 6, 'not IPv6'],
    ['ff02::1', 6, 'multicast'],
    ['::', 6, 'unspecified'],
  ];
  for (const [address, family, why] of bad) t.match(mediaAddressProblem(address, family, fresh), why, `${address} (IP${String(family)})`);
});

t.test('the freeswitch engine checks every c= line of an offer', async (t) => {
  const sdp = (c: string, media = ''): string => `v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\ns=x\r\nc=${c}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n${media}`;
  t.equal(connectionAddressProblem(sdp('IN IP4 192.0.2.1')), undefined);
  t.match(connectionAddressProblem(sdp('IN IP4 pbx.example.com')), 'not an IPv4 literal');
  t.match(connectionAddressProblem(sdp('IN IP4 192.0.2.1', 'c=IN IP4 224.2.1.1/127\r\n')), 'multicast');
  t.match(connectionAddressProblem(sdp('IN ATM 1.2.3.4')), 'not IP4 or IP6');
});
