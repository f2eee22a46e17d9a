import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header every delivery is signed in. */
export const SIGNATURE_HEADER = 'Dialbridge-Signature';

/** How far a receiver should let the signed time be from its own clock, in seconds. */
export const REPLAY_WINDOW_SECONDS = 300;

/** A new webhook secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** HMAC-SHA256 of `${t}.${body}` under the secret, hex. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${String(timestamp)}.${body}`, 'utf8').digest('hex');
}

/** The header value `t=<unix seconds>,v1=<hex>` for a body sent at `timestamp`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${String(timestamp)},v1=${signatureOf(secret, timestamp, body)}`;
}

/**
 * Checks a signature header as a receiver does (docs/webhooks.md has the same in a snippet a
 * customer can copy): a `v1` that matches, and a time within the replay window.
 */
export function verifySignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = REPLAY_WINDOW_SECONDS): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
