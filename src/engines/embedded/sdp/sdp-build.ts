/** Writes our SDP (RFC 4566 §5; RFC 3264 §5 offers and §6 answers; RFC 4733 telephone-event). */
import type { G711Codec, SdpDirection } from './sdp-audio.ts';

/** The o= line's session id and version (§5.2); the version goes up with each new SDP. */
export interface SdpOrigin {
  readonly sessionId: string;
  readonly version: number;
}

/** Everything our SDP says. */
export interface SdpBuildOptions {
  readonly origin: SdpOrigin;
  readonly address: string;
  readonly port: number;
  /** One codec (answer) or several (offer). */
  readonly codec?: { readonly codec: G711Codec; readonly pt: number };
  readonly codecs?: readonly { readonly codec: G711Codec; readonly pt: number }[];
  readonly telephoneEventPt: number | undefined;
  readonly ptimeMs: 20 | 30;
  readonly direction: SdpDirection;
  /** For answers: the offer's m-lines; non-audio ones are rejected with port 0 (§6). */
  readonly mLines?: readonly ('audio' | { type: string; protocol: string; payloads: string })[];
}

/** Builds the SDP text. */
export function buildSdp(o: SdpBuildOptions): string {
  const ipVer = o.address.includes(':') ? 'IP6' : 'IP4';
  const codecs = o.codecs ?? (o.codec ? [o.codec] : []);
  const lines = [
    'v=0',
    `o=dialbridge ${o.origin.sessionId} ${String(o.origin.version)} IN ${ipVer} ${o.address}`,
    's=dialbridge',
    `c=IN ${ipVer} ${o.address}`,
    't=0 0',
  ];
  const audio = (): void => {
    const pts = codecs.map((c) => String(c.pt));
    if (o.telephoneEventPt !== undefined) pts.push(String(o.telephoneEventPt));
    lines.push(`m=audio ${String(o.port)} RTP/AVP ${pts.join(' ')}`);
    for (const c of codecs) lines.push(`a=rtpmap:${String(c.pt)} ${c.codec}/8000`);
    if (o.telephoneEventPt !== undefined) {
      lines.push(`a=rtpmap:${String(o.telephoneEventPt)} telephone-event/8000`, `a=fmtp:${String(o.telephoneEventPt)} 0-16`);
    }
    lines.push(`a=ptime:${String(o.ptimeMs)}`, `a=${o.direction}`);
  };
  if (o.mLines === undefined) audio();
  else {
    for (const m of o.mLines) {
      if (m === 'audio') audio();
      else lines.push(`m=${m.type} 0 ${m.protocol} ${m.payloads.trim() === '' ? '0' : m.payloads.trim()}`);
    }
  }
  return lines.join('\r\n') + '\r\n';
}
