/**
 * G.711 µ-law and A-law (ITU-T G.711, 1988) by lookup table: one 64 Ki-entry encode table
 * and one 256-entry decode table per law, built once at load. Encoding and decoding a frame
 * is then one indexed read per sample, with no allocation.
 */

/** µ-law silence (the code for 0). */
export const ULAW_SILENCE = 0xff;
/** A-law silence (the code for +0, even bits inverted). */
export const ALAW_SILENCE = 0xd5;

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

/** Encodes one 16-bit sample to µ-law (G.711 §3, the classic segment search). */
function ulawEncodeSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign !== 0) s = -s;
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law code to a 16-bit sample. */
function ulawDecodeSample(code: number): number {
  const u = ~code & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
  return sign !== 0 ? -magnitude : magnitude;
}

const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

/** Encodes one 16-bit sample to A-law (G.711 §2; 13-bit magnitude, even bits inverted). */
function alawEncodeSample(sample: number): number {
  let v = sample >> 3;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  let seg = 0;
  while (seg < 8 && v > (ALAW_SEGMENT_END[seg] ?? 0)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return aval ^ mask;
}

/** Decodes one A-law code to a 16-bit sample. */
function alawDecodeSample(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return (a & 0x80) !== 0 ? t : -t;
}

function buildEncodeTable(encode: (s: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = encode(i - 32768);
  return table;
}

function buildDecodeTable(decode: (c: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = decode(i);
  return table;
}

/** µ-law encode table, indexed by `sample + 32768`. */
export const ULAW_ENCODE: Uint8Array = buildEncodeTable(ulawEncodeSample);
/** µ-law decode table, indexed by code. */
export const ULAW_DECODE: Int16Array = buildDecodeTable(ulawDecodeSample);
/** A-law encode table, indexed by `sample + 32768`. */
export const ALAW_ENCODE: Uint8Array = buildEncodeTable(alawEncodeSample);
/** A-law decode table, indexed by code. */
export const ALAW_DECODE: Int16Array = buildDecodeTable(alawDecodeSample);

/** The tables of one G.711 law. */
export interface G711Codec {
  readonly name: 'PCMU' | 'PCMA';
  readonly encodeTable: Uint8Array;
  readonly decodeTable: Int16Array;
  readonly silence: number;
}

/** µ-law (RTP static payload type 0, RFC 3551 §6). */
export const PCMU: G711Codec = { name: 'PCMU', encodeTable: ULAW_ENCODE, decodeTable: ULAW_DECODE, silence: ULAW_SILENCE };
/** A-law (RTP static payload type 8, RFC 3551 §6). */
export const PCMA: G711Codec = { name: 'PCMA', encodeTable: ALAW_ENCODE, decodeTable: ALAW_DECODE, silence: ALAW_SILENCE };

/** Returns the codec tables for a negotiated codec name. */
export function codecByName(name: 'PCMU' | 'PCMA'): G711Codec {
  return name === 'PCMU' ? PCMU : PCMA;
}

/**
 * Encodes `count` samples from `pcm[pcmOffset…]` into `out[outOffset…]`. No allocation.
 */
export function encodeG711(
  table: Uint8Array,
  pcm: Int16Array,
  pcmOffset: number,
  out: Uint8Array,
  outOffset: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    out[outOffset + i] = table[(pcm[pcmOffset + i] ?? 0) + 32768] ?? 0;
  }
}

/** Decodes `count` codes from `data[dataOffset…]` into `pcm[pcmOffset…]`. No allocation. */
export function decodeG711(
  table: Int16Array,
  data: Uint8Array,
  dataOffset: number,
  pcm: Int16Array,
  pcmOffset: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    pcm[pcmOffset + i] = table[data[dataOffset + i] ?? 0] ?? 0;
  }
}
