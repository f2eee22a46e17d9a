import type { SipTally } from '../telemetry/sip-tally.ts';

/**
 * Counts one message of drachtio's wire protocol (drachtio-srf 5.0.29's `WireProtocol` 'msg'
 * event: `id|type|…` then CRLF and the SIP text). `sip` messages are what drachtio-server
 * received from the network and handed to us; `response|…|OK` with a SIP body echoes what it
 * sent for us. SIP with FreeSWITCH itself (`isMediaServer(address, port)`) is the engine's
 * internal leg, not callers' traffic, and is left out. Anything else is ignored.
 */
export function tallyWireMessage(tally: SipTally, message: string, isMediaServer: (address: string, port: string) => boolean): void {
  const eol = message.indexOf('\r\n');
  if (eol < 0) return;
  const token = message.slice(0, eol).split('|');
  let direction: 'received' | 'sent';
  let peer: [string | undefined, string | undefined];
  if (token[1] === 'sip') {
    direction = 'received';
    peer = [token[5], token[6]];
  } else if (token[1] === 'response' && token[3] === 'OK') {
    direction = 'sent';
    peer = [token[7], token[8]];
  } else {
    return;
  }
  if (isMediaServer(peer[0] ?? '', peer[1] ?? '')) return;
  const lineEnd = message.indexOf('\r\n', eol + 2);
  const firstLine = message.slice(eol + 2, lineEnd < 0 ? undefined : lineEnd);
  if (firstLine.startsWith('SIP/2.0 ')) {
    const status = Number(firstLine.slice(8, 11));
    if (Number.isInteger(status)) tally.response(direction, status);
    return;
  }
  const space = firstLine.indexOf(' ');
  if (space > 0) tally.request(direction, firstLine.slice(0, space));
}
