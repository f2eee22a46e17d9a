/**
 * SDP offer/answer, the offerer's side (RFC 3264 §5, §7): we offer our codecs in preference
 * order plus telephone-event 101, and read the answer into {@link NegotiatedMedia}.
 */
import { mediaAddressProblem } from '../../../lib/media-address.ts';
import type { NegotiatedMedia } from '../media/media-channel.ts';
import { isNullAddress, parseSdp, type G711Codec, type SdpDirection } from './sdp-audio.ts';
import { buildSdp, type SdpOrigin } from './sdp-build.ts';
import type { LocalMedia } from './sdp-answer.ts';

/** Static payload types (RFC 3551 §6). */
export const STATIC_PAYLOAD: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };
/** The telephone-event payload type we offer. */
export const OFFERED_TELEPHONE_EVENT_PT = 101;

/** Builds our offer. */
export function createOffer(local: LocalMedia, codecs: readonly G711Codec[], origin: SdpOrigin, direction: SdpDirection = 'sendrecv'): string {
  return buildSdp({
    origin,
    address: local.address,
    port: local.port,
    codecs: codecs.map((codec) => ({ codec, pt: STATIC_PAYLOAD[codec] })),
    telephoneEventPt: OFFERED_TELEPHONE_EVENT_PT,
    ptimeMs: 20,
    direction,
  });
}

/** The outcome of {@link acceptAnswer}. */
export type AcceptResult =
  | { readonly ok: true; readonly media: NegotiatedMedia; readonly held: boolean }
  | { readonly ok: false; readonly reason: string };

/** Reads the answer to our offer (§5 offered codecs only). Never throws. */
export function acceptAnswer(answer: string, offeredCodecs: readonly G711Codec[]): AcceptResult {
  const parsed = parseSdp(answer);
  if (!parsed) return { ok: false, reason: 'unparseable SDP' };
  const audio = parsed.audio;
  if (!audio) return { ok: false, reason: 'no RTP/AVP audio stream' };
  const problem = mediaAddressProblem(audio.address, audio.family, { allowUnspecified: true });
  if (problem !== undefined) return { ok: false, reason: problem };
  const p = audio.payloads.find((x) => (x.name === 'PCMU' || x.name === 'PCMA') && offeredCodecs.includes(x.name));
  if (!p) return { ok: false, reason: 'no common codec' };
  const te = audio.payloads.find((x) => x.name === 'TELEPHONE-EVENT');
  const theirs: SdpDirection = isNullAddress(audio.address) && audio.direction === 'sendrecv' ? 'sendonly' : audio.direction;
  const ours: SdpDirection = theirs === 'sendonly' ? 'recvonly' : theirs === 'recvonly' ? 'sendonly' : theirs;
  return {
    ok: true,
    held: theirs === 'sendonly' || theirs === 'inactive',
    media: {
      remoteAddress: audio.address,
      remotePort: audio.port,
      codec: p.name as G711Codec,
      payloadType: p.pt,
      telephoneEventPt: te?.pt,
      ptimeMs: audio.ptime === 30 ? 30 : 20,
      direction: ours,
    },
  };
}
