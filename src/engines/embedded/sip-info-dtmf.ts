/**
 * DTMF carried in SIP INFO bodies: `application/dtmf-relay` (`Signal=5`, the de-facto
 * Cisco format) and `application/dtmf` (the digit alone). Returns the digit or undefined.
 */
const EVENT_DIGITS = '0123456789*#ABCD';

/** Extracts one DTMF digit from an INFO body of the given Content-Type. */
export function dtmfFromInfo(contentType: string | undefined, body: Buffer): string | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = body.toString('utf8').trim();
  let raw: string | undefined;
  if (type === 'application/dtmf-relay') raw = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(text)?.[1];
  else if (type === 'application/dtmf') raw = text.split(/\s+/)[0];
  if (raw === undefined || raw === '') return undefined;
  const upper = raw.toUpperCase();
  // RFC 4733 §3.2 event numbers 10 and 11 are * and #; some gateways send them as numbers.
  if (/^\d{1,2}$/.test(upper)) {
    const n = Number(upper);
    return n < EVENT_DIGITS.length ? EVENT_DIGITS[n] : undefined;
  }
  return upper.length === 1 && EVENT_DIGITS.includes(upper) ? upper : undefined;
}
