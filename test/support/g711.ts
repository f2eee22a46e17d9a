/**
 * G.711 µ-law and A-law (ITU-T G.711), written independently of the engine so the test peer
 * does not share the engine's bugs.
 */

const BIAS = 0x84;
const CLIP = 32635;

/** Encodes one 16-bit linear sample to µ-law. */
export function linearToUlaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law byte to a 16-bit linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign !== 0 ? -magnitude : magnitude;
}

/** Decodes one A-law byte to a 16-bit linear sample. */
export function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  if (magnitude > 32767) magnitude = 32767;
  return sign !== 0 ? magnitude : -magnitude;
}

/** Encodes PCM to µ-law bytes. */
export function encodeUlaw(pcm: Int16Array): Buffer {
  const out = Buffer.alloc(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = linearToUlaw(pcm[i] ?? 0);
  return out;
}

/** Decodes µ-law (PT 0) or A-law (PT 8) bytes to PCM. */
export function decodeG711(payload: Uint8Array, payloadType: 0 | 8): Int16Array {
  const out = new Int16Array(payload.length);
  const decode = payloadType === 0 ? ulawToLinear : alawToLinear;
  for (let i = 0; i < payload.length; i++) out[i] = decode(payload[i] ?? 0xff);
  return out;
}
