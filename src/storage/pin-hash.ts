import { createHmac } from 'node:crypto';

/**
 * The keyed hash PINs are stored as: HMAC-SHA256 with the server's PIN secret, hex. Without
 * the secret a stolen database cannot be searched for PINs (there are only 10^4–10^12 of
 * them, so an unkeyed hash would be no protection at all).
 */
export function pinHasher(secret: Buffer): (pin: string) => string {
  if (secret.length < 16) throw new Error('the PIN secret must have at least 16 bytes');
  return (pin) => createHmac('sha256', secret).update(pin, 'utf8').digest('hex');
}
