/** Random identifiers for SIP: branches (RFC 3261 §8.1.1.7 magic cookie), tags (§19.3) and Call-IDs. */
import { randomBytes } from 'node:crypto';

/** A new Via branch starting with the RFC 3261 magic cookie. */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(9).toString('base64url')}`;
}

/** A new From/To tag. */
export function newTag(): string {
  return randomBytes(6).toString('hex');
}

/** A new Call-ID, unique across space and time (§8.1.1.4). */
export function newCallId(host: string): string {
  return `${randomBytes(12).toString('hex')}@${host}`;
}
