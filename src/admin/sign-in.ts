import { randomBytes } from 'node:crypto';
import type { User } from '../domain/access.ts';
import { AppError } from '../lib/errors.ts';
import type { Administration } from './administration.ts';
import { verifyPassword } from './passwords.ts';

/** A new session: the cookie token and the CSRF token (both shown once), and when it ends. */
export interface SignedIn {
  readonly user: User;
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

const BAD_CREDENTIALS = 'the email or the password is wrong';

/**
 * Signs a user in by email and password. An unknown email, a user without a password, a
 * wrong password and a suspended account all answer the same `UNAUTHORIZED`, after the same
 * argon2 work, so the answer tells an attacker nothing about which it was.
 */
export async function signIn(admin: Administration, input: { email: string; password: string; sourceAddress: string | null; sessionHours: number }): Promise<SignedIn> {
  const found = admin.store.users.byEmail(input.email.trim());
  const ok = await verifyPassword(found?.passwordHash ?? null, input.password);
  const active = found !== null && admin.store.accounts.get(found.user.accountId)?.status === 'active';
  if (found === null || !ok || !active) throw new AppError('UNAUTHORIZED', BAD_CREDENTIALS);
  const now = admin.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.sessionHours * 3_600_000);
  admin.store.sessions.create({ token, csrfToken, userId: found.user.id, expiresAt, sourceAddress: input.sourceAddress }, now);
  admin.store.audit.record(
    {
      accountId: found.user.accountId,
      actor: { kind: 'user', id: found.user.id, role: found.user.role, via: 'session', sourceAddress: input.sourceAddress },
      action: 'session.signed-in',
      target: { kind: 'user', id: found.user.id },
      detail: {},
    },
    now,
  );
  return { user: found.user, token, csrfToken, expiresAt };
}
