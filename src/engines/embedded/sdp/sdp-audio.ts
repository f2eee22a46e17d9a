/**
 * Reads the audio facts out of an SDP body (RFC 4566) with `sdp-transform`: address, port,
 * the payload types of PCMU/PCMA/telephone-event (static or via rtpmap), ptime, direction.
 */
import sdpTransform from 'sdp-transform';

/** The codecs the embedded engine speaks. */
export type G711Codec = 'PCMU' | 'PCMA';

/** An SDP media direction (RFC 3264 §5.1). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What an audio m-line offers. */
export interface AudioDescription {
  /** Index of the m-line in the SDP. */
  readonly index: number;
  readonly address: string;
  /** The address family the `c=` line states (IP4/IP6), when it states one. */
  readonly family: 4 | 6 | undefined;
  readonly port: number;
  /** Payload types in the order listed, with their codec name (upper-case) when known. */
  readonly payloads: readonly { readonly pt: number; readonly name: string; readonly rate: number }[];
  readonly ptime: number | undefined;
  readonly direction: SdpDirection;
}

/** The parsed session, every m-line, and the first usable audio m-line. */
export interface ParsedSdp {
  readonly session: sdpTransform.SessionDescription;
  readonly audio: AudioDescription | undefined;
}

const STATIC_PT: Readonly<Record<number, { name: string; rate: number }>> = {
  0: { name: 'PCMU', rate: 8000 },
  8: { name: 'PCMA', rate: 8000 },
  9: { name: 'G722', rate: 8000 },
  18: { name: 'G729', rate: 8000 },
};

/** Parses SDP text; undefined when it is not SDP at all. Never throws. */
export function parseSdp(text: string): ParsedSdp | undefined {
  try {
    return parseSdpUnsafe(text);
  } catch {
    return undefined;
  }
}

function parseSdpUnsafe(text: string): ParsedSdp | undefined {
  if (!/^v=0/m.test(text)) return undefined;
  let session: sdpTransform.SessionDescription;
  try {
    session = sdpTransform.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(session.media)) return undefined;
  let audio: AudioDescription | undefined;
  session.media.forEach((m, index) => {
    if (audio || m.type !== 'audio' || m.port === 0 || !/^RTP\/AVP$/i.test(m.protocol)) return;
    const connection = m.connection ?? session.connection;
    const address = connection?.ip;
    const version = Number(connection?.version);
    const family = version === 4 || version === 6 ? version : undefined;
    if (address === undefined || !Number.isInteger(m.port) || m.port < 1 || m.port > 65535) return;
    // sdp-transform returns a number when one payload is listed, whatever its typings say.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
    const pts = String(m.payloads ?? '')
      .split(/\s+/)
      .filter((p) => /^\d{1,3}$/.test(p))
      .map(Number)
      .filter((p) => p <= 127);
    const payloads = pts.map((pt) => {
      const rtp = m.rtp.find((r) => r.payload === pt);
      if (rtp) return { pt, name: rtp.codec.toUpperCase(), rate: rtp.rate ?? 8000 };
      const known = STATIC_PT[pt];
      return { pt, name: known?.name ?? '', rate: known?.rate ?? 0 };
    });
    const ptimeRaw = m.ptime ?? (session as { ptime?: number }).ptime;
    const direction: SdpDirection = m.direction ?? session.direction ?? 'sendrecv';
    audio = { index, address, family, port: m.port, payloads, ptime: typeof ptimeRaw === 'number' ? ptimeRaw : undefined, direction };
  });
  return { session, audio };
}

/** The direction the answerer takes for an offered direction (RFC 3264 §6.1). */
export function answerDirection(offered: SdpDirection): SdpDirection {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    case 'inactive':
      return 'inactive';
    case 'sendrecv':
      return 'sendrecv';
  }
}

/** True when an address means "do not send to me" (RFC 2543 hold, RFC 3264 §8.4). */
export function isNullAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
