/**
 * RTP fixed header (RFC 3550 §5.1) parsing into a reusable view, and writing into prebuilt
 * packet buffers. Nothing here allocates per packet.
 */

/** Size of the fixed RTP header without CSRCs or extension (RFC 3550 §5.1). */
export const RTP_HEADER_SIZE = 12;

/** Largest RTP packet we accept; anything bigger is not a G.711/telephone-event packet. */
export const RTP_MAX_PACKET = 1500;

/** A parsed RTP header; one instance is reused for every packet a socket receives. */
export interface RtpView {
  marker: boolean;
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload in the datagram. */
  payloadOffset: number;
  /** Payload length after removing padding. */
  payloadLength: number;
}

/** Creates an empty view to pass to {@link parseRtp}. */
export function createRtpView(): RtpView {
  return { marker: false, payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0, payloadOffset: 0, payloadLength: 0 };
}

/**
 * Parses `data` into `view`. Returns false for anything that is not a well-formed RTP v2
 * packet: too short, wrong version, CSRC list or extension running past the end, bad
 * padding (RFC 3550 §5.1, §5.3.1), or RTCP payload types 72–76 (RFC 5761 §4).
 */
export function parseRtp(data: Uint8Array, view: RtpView): boolean {
  const length = data.length;
  if (length < RTP_HEADER_SIZE || length > RTP_MAX_PACKET) return false;
  const b0 = data[0] ?? 0;
  if (b0 >> 6 !== 2) return false;
  const b1 = data[1] ?? 0;
  const payloadType = b1 & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return false;
  let offset = RTP_HEADER_SIZE + (b0 & 0x0f) * 4;
  if (offset > length) return false;
  if ((b0 & 0x10) !== 0) {
    // Header extension: 16-bit profile, 16-bit length in 32-bit words (RFC 3550 §5.3.1).
    if (offset + 4 > length) return false;
    const words = ((data[offset + 2] ?? 0) << 8) | (data[offset + 3] ?? 0);
    offset += 4 + words * 4;
    if (offset > length) return false;
  }
  let end = length;
  if ((b0 & 0x20) !== 0) {
    const padding = data[length - 1] ?? 0;
    if (padding === 0 || end - padding < offset) return false;
    end -= padding;
  }
  view.marker = (b1 & 0x80) !== 0;
  view.payloadType = payloadType;
  view.sequence = ((data[2] ?? 0) << 8) | (data[3] ?? 0);
  view.timestamp = (((data[4] ?? 0) << 24) | ((data[5] ?? 0) << 16) | ((data[6] ?? 0) << 8) | (data[7] ?? 0)) >>> 0;
  view.ssrc = (((data[8] ?? 0) << 24) | ((data[9] ?? 0) << 16) | ((data[10] ?? 0) << 8) | (data[11] ?? 0)) >>> 0;
  view.payloadOffset = offset;
  view.payloadLength = end - offset;
  return true;
}

/** Writes a 12-byte RTP v2 header (no padding, extension or CSRC) at the start of `buf`. */
export function writeRtpHeader(
  buf: Uint8Array,
  marker: boolean,
  payloadType: number,
  sequence: number,
  timestamp: number,
  ssrc: number,
): void {
  buf[0] = 0x80;
  buf[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  buf[2] = (sequence >>> 8) & 0xff;
  buf[3] = sequence & 0xff;
  buf[4] = (timestamp >>> 24) & 0xff;
  buf[5] = (timestamp >>> 16) & 0xff;
  buf[6] = (timestamp >>> 8) & 0xff;
  buf[7] = timestamp & 0xff;
  buf[8] = (ssrc >>> 24) & 0xff;
  buf[9] = (ssrc >>> 16) & 0xff;
  buf[10] = (ssrc >>> 8) & 0xff;
  buf[11] = ssrc & 0xff;
}
