import { parse } from 'sdp-transform';

/**
 * True when an SDP offer puts the call on hold (RFC 3264 §8.4): the audio stream is
 * `sendonly` or `inactive` (at media or session level), or the old-style `c=0.0.0.0`
 * (RFC 2543). An unparsable offer is not a hold.
 */
export function isHoldOffer(sdp: string): boolean {
  try {
    const session = parse(sdp);
    const audio = session.media.find((m) => m.type === 'audio');
    if (audio === undefined) return false;
    const direction = audio.direction ?? session.direction ?? 'sendrecv';
    const address = audio.connection?.ip ?? session.connection?.ip ?? '';
    return direction === 'sendonly' || direction === 'inactive' || address === '0.0.0.0';
  } catch {
    return false;
  }
}
