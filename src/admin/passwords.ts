import argon2 from 'argon2';

/** Hashes a password with argon2id (the library's defaults: 64 MiB, 3 passes, 4 lanes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// A hash of a password nobody has, so that an unknown email costs as much as a wrong password.
const DUMMY_HASH = hashPassword('dialbridge: no such user');

/**
 * Whether `password` matches `hash`. With a null hash (unknown email, or a user without a
 * password) it still runs a full verification, so the answer takes the same time either way.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  try {
    const ok = await argon2.verify(hash ?? (await DUMMY_HASH), password);
    return hash !== null && ok;
  } catch {
    return false;
  }
}
