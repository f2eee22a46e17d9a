/** The CSeq header (RFC 3261 §20.16): a sequence number and a method. */
export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** Parses `4711 INVITE`; undefined when malformed (the number must fit 31 bits, §8.1.1.5). */
export function parseCSeq(value: string): CSeq | undefined {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value.trim());
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (seq > 0x7fffffff) return undefined;
  return { seq, method: m[2] ?? '' };
}
