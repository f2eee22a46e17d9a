import { randomBytes, randomInt } from 'node:crypto';

/** A new API key: 32 random bytes, base64url, with a prefix that says what it is. */
export function newApiKey(): string {
  return `dbk_${randomBytes(32).toString('base64url')}`;
}

/** A new random PIN of `length` digits (uniform, from the system's CSPRNG). */
export function newPin(length: number): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomInt(10));
  return pin;
}
