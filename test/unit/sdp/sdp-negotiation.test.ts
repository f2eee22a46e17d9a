import t from 'tap';
import sdpTransform from 'sdp-transform';
import { answerOffer } from '../../../src/engines/embedded/sdp/sdp-answer.ts';
import { acceptAnswer, createOffer } from '../../../src/engines/embedded/sdp/sdp-offer.ts';

t.setTimeout(10_000);

const local = { address: '127.0.0.1', port: 20000 };
const origin = { sessionId: '1', version: 1 };

function offer(opts: { payloads: string; rtpmap?: string[]; ptime?: number; dir?: string; c?: string; extraM?: string[]; proto?: string }): string {
  const lines = ['v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', `c=IN IP4 ${opts.c ?? '192.0.2.10'}`, 't=0 0'];
  lines.push(`m=audio 49170 ${opts.proto ?? 'RTP/AVP'} ${opts.payloads}`);
  for (const r of opts.rtpmap ?? []) lines.push(`a=rtpmap:${r}`);
  if (opts.ptime !== undefined) lines.push(`a=ptime:${String(opts.ptime)}`);
  if (opts.dir !== undefined) lines.push(`a=${opts.dir}`);
  lines.push(...(opts.extraM ?? []));
  return lines.join('\r\n') + '\r\n';
}

interface Row {
  name: string;
  offer: string;
  prefs?: ('PCMU' | 'PCMA')[];
  want: { codec: 'PCMU' | 'PCMA'; pt: number; te: number | undefined; ptime: 20 | 30; dir: string; held: boolean } | { fail: string };
}

const table: Row[] = [
  { name: 'PCMU and PCMA offered, default preference answers PCMU', offer: offer({ payloads: '8 0 101', rtpmap: ['101 telephone-event/8000'] }), want: { codec: 'PCMU', pt: 0, te: 101, ptime: 20, dir: 'sendrecv', held: false } },
  { name: 'our preference order wins over the offer order', offer: offer({ payloads: '0 8' }), prefs: ['PCMA', 'PCMU'], want: { codec: 'PCMA', pt: 8, te: undefined, ptime: 20, dir: 'sendrecv', held: false } },
  { name: 'telephone-event is kept at whatever payload type the peer uses', offer: offer({ payloads: '0 96', rtpmap: ['96 telephone-event/8000'] }), want: { codec: 'PCMU', pt: 0, te: 96, ptime: 20, dir: 'sendrecv', held: false } },
  { name: 'a dynamic payload type mapped to PCMA is used', offer: offer({ payloads: '110', rtpmap: ['110 pcma/8000'] }), want: { codec: 'PCMA', pt: 110, te: undefined, ptime: 20, dir: 'sendrecv', held: false } },
  { name: 'ptime 30 is honoured', offer: offer({ payloads: '8', ptime: 30 }), want: { codec: 'PCMA', pt: 8, te: undefined, ptime: 30, dir: 'sendrecv', held: false } },
  { name: 'an unsupported ptime falls back to 20', offer: offer({ payloads: '0', ptime: 40 }), want: { codec: 'PCMU', pt: 0, te: undefined, ptime: 20, dir: 'sendrecv', held: false } },
  { name: 'sendonly (hold) is answered recvonly', offer: offer({ payloads: '0', dir: 'sendonly' }), want: { codec: 'PCMU', pt: 0, te: undefined, ptime: 20, dir: 'recvonly', held: true } },
  { name: 'inactive (hold) is answered inactive', offer: offer({ payloads: '0', dir: 'inactive' }), want: { codec: 'PCMU', pt: 0, te: undefined, ptime: 20, dir: 'inactive', held: true } },
  { name: 'c=0.0.0.0 (RFC 2543 hold) is a hold, answered recvonly', offer: offer({ payloads: '0', c: '0.0.0.0' }), want: { codec: 'PCMU', pt: 0, te: undefined, ptime: 20, dir: 'recvonly', held: true } },
  { name: 'recvonly from the peer is answered sendonly and is no hold', offer: offer({ payloads: '0', dir: 'recvonly' }), want: { codec: 'PCMU', pt: 0, te: undefined, ptime: 20, dir: 'sendonly', held: false } },
  { name: 'only G.729 offered: no common codec', offer: offer({ payloads: '18' }), want: { fail: 'no common codec' } },
  { name: 'only PCMA offered while we accept only PCMU', offer: offer({ payloads: '8' }), prefs: ['PCMU'], want: { fail: 'no common codec' } },
  { name: 'SRTP-only audio is refused', offer: offer({ payloads: '0', proto: 'RTP/SAVP' }), want: { fail: 'no RTP/AVP audio stream' } },
  { name: 'garbage is refused', offer: 'hello world', want: { fail: 'unparseable SDP' } },
];

t.test('the negotiation table', (t) => {
  for (const row of table) {
    const result = answerOffer(row.offer, local, row.prefs ?? ['PCMU', 'PCMA'], origin);
    if ('fail' in row.want) {
      t.same(result, { ok: false, reason: row.want.fail }, row.name);
      continue;
    }
    t.ok(result.ok, row.name);
    if (!result.ok) continue;
    t.same(
      { codec: result.media.codec, pt: result.media.payloadType, te: result.media.telephoneEventPt, ptime: result.media.ptimeMs, dir: result.media.direction, held: result.held },
      row.want,
      row.name,
    );
    const answer = sdpTransform.parse(result.answer);
    const m = answer.media[0];
    t.equal(m?.port, 20000, `${row.name}: the answer names our port`);
    t.equal(m?.direction, row.want.dir, `${row.name}: the answer states the direction`);
    t.equal(String(m?.payloads).split(' ')[0], String(row.want.pt), `${row.name}: the answer uses the peer's payload type`);
  }
  t.end();
});

t.test('a video stream beside audio is rejected with port 0, keeping the m-line count', (t) => {
  const o = offer({ payloads: '0', extraM: ['m=video 49172 RTP/AVP 96', 'a=rtpmap:96 H264/90000'] });
  const result = answerOffer(o, local, ['PCMU'], origin);
  t.ok(result.ok);
  if (!result.ok) return void t.end();
  const media = sdpTransform.parse(result.answer).media;
  t.equal(media.length, 2);
  t.equal(media[1]?.port, 0);
  t.end();
});

t.test('our offer lists our codecs in order plus telephone-event 101, and its answer is read back', (t) => {
  const ours = createOffer(local, ['PCMA', 'PCMU'], origin);
  const parsed = sdpTransform.parse(ours);
  t.equal(parsed.media[0]?.payloads, '8 0 101');
  const reply = answerOffer(ours, { address: '192.0.2.99', port: 30000 }, ['PCMU', 'PCMA'], origin);
  t.ok(reply.ok);
  if (!reply.ok) return void t.end();
  const accepted = acceptAnswer(reply.answer, ['PCMA', 'PCMU']);
  t.same(accepted, {
    ok: true,
    held: false,
    media: { remoteAddress: '192.0.2.99', remotePort: 30000, codec: 'PCMU', payloadType: 0, telephoneEventPt: 101, ptimeMs: 20, direction: 'sendrecv' },
  });
  t.end();
});

t.test('an answer without any offered codec is refused', (t) => {
  t.same(acceptAnswer(offer({ payloads: '18' }), ['PCMU']), { ok: false, reason: 'no common codec' });
  t.end();
});
