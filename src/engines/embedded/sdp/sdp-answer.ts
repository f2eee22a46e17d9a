/**
 * SDP offer/answer, the answerer's side (RFC 3264 §6): picks the first codec of our
 * preference the offer contains, keeps the peer's telephone-event payload type, answers
 * the direction (hold: `recvonly` to `sendonly`, `inactive` to `inactive`), and rejects
 * every other m-line with port 0. No common codec → a failure the caller turns into 488.
 */
import { mediaAddressProblem } from '../../../lib/media-address.ts';
import type { NegotiatedMedia } from '../media/media-channel.ts';
import { answerDirection, isNullAddress, parseSdp, type G711Codec, type SdpDirection } from './sdp-audio.ts';
import { buildSdp, type SdpOrigin } from './sdp-build.ts';

/** Our side of the media. */
export interface LocalMedia {
  readonly address: string;
  readonly port: number;
}

/** The outcome of {@link answerOffer}. */
export type AnswerResult =
  | { readonly ok: true; readonly media: NegotiatedMedia; readonly answer: string; readonly held: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Answers an SDP offer. Never throws. The connection address must be an IP literal we may
 * send to ({@link mediaAddressProblem}); `initial` (the dialog-creating INVITE) also refuses
 * an unspecified address, which only makes sense as a hold of a running call.
 */
export function answerOffer(offer: string, local: LocalMedia, codecs: readonly G711Codec[], origin: SdpOrigin, options: { initial?: boolean } = {}): AnswerResult {
  const parsed = parseSdp(offer);
  if (!parsed) return { ok: false, reason: 'unparseable SDP' };
  const audio = parsed.audio;
  if (!audio) return { ok: false, reason: 'no RTP/AVP audio stream' };
  const problem = mediaAddressProblem(audio.address, audio.family, { allowUnspecified: options.initial !== true });
  if (problem !== undefined) return { ok: false, reason: problem };
  let chosen: { codec: G711Codec; pt: number } | undefined;
  for (const codec of codecs) {
    const p = audio.payloads.find((x) => x.name === codec && x.rate === 8000);
    if (p) {
      chosen = { codec, pt: p.pt };
      break;
    }
  }
  if (!chosen) return { ok: false, reason: 'no common codec' };
  const te = audio.payloads.find((x) => x.name === 'TELEPHONE-EVENT' && x.rate === 8000);
  const ptimeMs: 20 | 30 = audio.ptime === 30 ? 30 : 20;
  const nullAddress = isNullAddress(audio.address);
  // An RFC 2543 hold (c=0.0.0.0) with sendrecv means "I will not receive": treat it as sendonly.
  const offered: SdpDirection = nullAddress && audio.direction === 'sendrecv' ? 'sendonly' : audio.direction;
  const direction = answerDirection(offered);
  const held = offered === 'sendonly' || offered === 'inactive';
  const answer = buildSdp({
    origin,
    address: local.address,
    port: local.port,
    codec: chosen,
    telephoneEventPt: te?.pt,
    ptimeMs,
    direction,
    mLines: parsed.session.media.map((m, i) =>
      i === audio.index
        ? 'audio'
        : {
            type: m.type,
            protocol: m.protocol,
            // sdp-transform returns a number for a single payload, whatever its typings say.
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
            payloads: String(m.payloads ?? ''),
          },
    ),
  });
  const media: NegotiatedMedia = {
    remoteAddress: audio.address,
    remotePort: audio.port,
    codec: chosen.codec,
    payloadType: chosen.pt,
    telephoneEventPt: te?.pt,
    ptimeMs,
    direction,
  };
  return { ok: true, media, answer, held };
}
