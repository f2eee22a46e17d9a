/**
 * What the FreeSWITCH engine counts: SIP read off drachtio's wire protocol (received from and
 * sent to callers; SIP with FreeSWITCH itself left out), and RTP of our channels when they end.
 */
import t from 'tap';
import { tallyWireMessage } from '../../../src/engines/freeswitch/drachtio-wire-tally.ts';
import { FsTelemetry } from '../../../src/engines/freeswitch/fs-telemetry.ts';
import { SipTally } from '../../../src/engines/telemetry/sip-tally.ts';

const FS = '127.0.0.1:5080';
const isFs = (address: string, port: string): boolean => `${address}:${port}` === FS;

// drachtio-server 0.9's wire format: `id|sip|source|length|protocol|address|port|time|txid|dialogid` + CRLF + SIP.
function received(sip: string, address = '127.0.0.1', port = '40000'): string {
  return `a1|sip|network|${String(sip.length)}|udp|${address}|${port}|12:00:00.000|tx1|dlg1\r\n${sip}`;
}
// `id|response|rid|OK|source|length|protocol|address|port|time|txid|dialogid` + CRLF + the SIP sent.
function sent(sip: string, address = '127.0.0.1', port = '40000'): string {
  return `a2|response|r1|OK|application|${String(sip.length)}|udp|${address}|${port}|12:00:00.001|tx1|dlg1\r\n${sip}`;
}

t.test('requests and responses each way, by method and status class', async (t) => {
  const tally = new SipTally();
  tallyWireMessage(tally, received('INVITE sip:+4930@127.0.0.1 SIP/2.0\r\nVia: x\r\n\r\n'), isFs);
  tallyWireMessage(tally, sent('SIP/2.0 200 OK\r\nVia: x\r\n\r\n'), isFs);
  tallyWireMessage(tally, received('ACK sip:+4930@127.0.0.1 SIP/2.0\r\n\r\n'), isFs);
  tallyWireMessage(tally, sent('BYE sip:peer@127.0.0.1 SIP/2.0\r\n\r\n'), isFs);
  tallyWireMessage(tally, received('SIP/2.0 200 OK\r\n\r\n'), isFs);
  tallyWireMessage(tally, received('XYZZY sip:x SIP/2.0\r\n\r\n'), isFs);
  const s = tally.snapshot(false);
  t.equal(s.received.requests.INVITE, 1);
  t.equal(s.received.requests.ACK, 1);
  t.equal(s.received.requests.other, 1);
  t.equal(s.received.responses['2xx'], 1);
  t.equal(s.sent.responses['2xx'], 1);
  t.equal(s.sent.requests.BYE, 1);
  t.equal(s.parseErrors, undefined, 'drachtio parses the raw SIP: no parse-error count');
});

t.test('SIP with FreeSWITCH, failed commands and control messages are not counted', async (t) => {
  const tally = new SipTally();
  tallyWireMessage(tally, sent('INVITE sip:drachtio@127.0.0.1:5080 SIP/2.0\r\n\r\n', '127.0.0.1', '5080'), isFs);
  tallyWireMessage(tally, received('SIP/2.0 200 OK\r\n\r\n', '127.0.0.1', '5080'), isFs);
  tallyWireMessage(tally, 'a3|response|r2|NOK|error text\r\nSIP/2.0 200 OK\r\n\r\n', isFs);
  tallyWireMessage(tally, 'a4|response|r3|OK|127.0.0.1:5060', isFs);
  tallyWireMessage(tally, 'a5|cdr:stop|network|12:00\r\nBYE sip:x SIP/2.0\r\n\r\n', isFs);
  const s = tally.snapshot(false);
  t.same(Object.values(s.received.requests).concat(Object.values(s.received.responses), Object.values(s.sent.requests), Object.values(s.sent.responses)).filter((n) => n > 0), []);
});

t.test("RTP of our channels when they end; other channels on a shared FreeSWITCH are not ours", async (t) => {
  const telemetry = new FsTelemetry();
  telemetry.watch('ours');
  const vars: Record<string, string> = {
    variable_rtp_audio_in_packet_count: '250',
    variable_rtp_audio_out_packet_count: '245',
    variable_rtp_audio_in_skip_packet_count: '3',
  };
  telemetry.channelEnded('theirs', (n) => vars[n]);
  telemetry.channelEnded('ours', (n) => vars[n]);
  telemetry.channelEnded('ours', (n) => vars[n]);
  const rtp = telemetry.snapshot().rtp;
  t.same(rtp, { packetsIn: 250, packetsOut: 245, lost: 3 }, 'counted once; no late or wrong-source figures from FreeSWITCH');
  t.equal(telemetry.snapshot().mixerTickLateness, undefined, 'the mixer is FreeSWITCH’s');
});
