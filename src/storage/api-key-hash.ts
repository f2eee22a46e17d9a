import { createHash } from 'node:crypto';

/** The stored form of an API key: SHA-256 hex. The key itself is never stored. */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The first characters of a key, shown to tell keys apart. */
export function apiKeyPrefix(token: string): string {
  return token.slice(0, 8);
}
