import { parse } from 'sdp-transform';

/** Media direction attribute (RFC 3264 §6.1). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Builds an audio SDP offer/answer: PCMU (0) and telephone-event, 20 ms (RFC 4566, RFC 4733 §7). */
export function buildAudioSdp(host: string, port: number, direction: SdpDirection = 'sendrecv', telephoneEventPt = 101, version = 1): string {
  return [
    'v=0',
    `o=test 1000 ${version} IN IP4 ${host}`,
    's=test',
    `c=IN IP4 ${host}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 ${telephoneEventPt}`,
    'a=rtpmap:0 PCMU/8000',
    `a=rtpmap:${telephoneEventPt} telephone-event/8000`,
    `a=fmtp:${telephoneEventPt} 0-16`,
    'a=ptime:20',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/** What the peer needs from a remote SDP: where to send audio, which payloads, direction. */
export interface RemoteAudio {
  readonly host: string;
  readonly port: number;
  readonly payloadTypes: readonly number[];
  readonly telephoneEventPt: number | undefined;
  readonly direction: SdpDirection;
}

/** Reads the first audio m-line of an SDP body; undefined when there is none. */
export function parseRemoteAudio(body: string): RemoteAudio | undefined {
  if (body.trim() === '') return undefined;
  const sdp = parse(body);
  const audio = sdp.media.find((m) => m.type === 'audio');
  if (audio === undefined) return undefined;
  const host = audio.connection?.ip ?? sdp.connection?.ip ?? '127.0.0.1';
  // sdp-transform types `payloads` as a string but gives a number for a single payload.
  const rawPayloads: unknown = audio.payloads;
  const payloadText = typeof rawPayloads === 'number' ? String(rawPayloads) : typeof rawPayloads === 'string' ? rawPayloads : '';
  const payloadTypes = payloadText.split(/\s+/).filter((p) => p !== '').map(Number);
  const te = audio.rtp.find((r) => r.codec.toLowerCase() === 'telephone-event');
  const direction: SdpDirection = audio.direction ?? sdp.direction ?? 'sendrecv';
  return { host, port: audio.port, payloadTypes, telephoneEventPt: te?.payload, direction };
}
