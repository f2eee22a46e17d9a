import type { UserProfile, UserRole } from '../domain/access.ts';
import { AppError } from '../lib/errors.ts';
import { audit, type AdminContext } from './admin-context.ts';
import { hashPassword } from './passwords.ts';
import { badField, checkPhoneNumbers, cleanText } from './validation.ts';

/** A new user of an account. */
export interface UserInput {
  readonly name: string;
  readonly email: string;
  readonly role: UserRole;
  readonly password?: string | undefined;
  readonly phoneNumbers?: readonly string[] | undefined;
}

/** What a profile edit may change. */
export interface ProfileInput {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly phoneNumbers?: readonly string[] | undefined;
  readonly conferenceEmails?: boolean | undefined;
}

const MIN_PASSWORD = 12;

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD) throw badField('body/password', `must have at least ${MIN_PASSWORD} characters`);
  return password;
}

function requireUser(ctx: AdminContext, userId: string): UserProfile {
  const user = ctx.store.users.profile(userId);
  if (user === null) throw new AppError('NOT_FOUND', 'user not found');
  return user;
}

/** Creates a user; `EMAIL_IN_USE` (409) when another user has the email. */
export async function createUser(ctx: AdminContext, accountId: string, input: UserInput): Promise<UserProfile> {
  const name = cleanText(input.name, 'body/name');
  const phoneNumbers = checkPhoneNumbers(input.phoneNumbers ?? [], 'body/phoneNumbers');
  const passwordHash = input.password === undefined ? null : await hashPassword(checkPassword(input.password));
  const user = ctx.store.users.create({ accountId, name, role: input.role, email: input.email.trim(), phoneNumbers, passwordHash }, ctx.now());
  audit(ctx, { accountId, action: 'user.created', target: { kind: 'user', id: user.id }, detail: { role: user.role } });
  return user;
}

/** Changes a profile (name, email, phone numbers). */
export function updateProfile(ctx: AdminContext, userId: string, patch: ProfileInput): UserProfile {
  const before = requireUser(ctx, userId);
  const updated = ctx.store.users.update(userId, {
    ...(patch.name === undefined ? {} : { name: cleanText(patch.name, 'body/name') }),
    ...(patch.email === undefined ? {} : { email: patch.email.trim() }),
    ...(patch.phoneNumbers === undefined ? {} : { phoneNumbers: checkPhoneNumbers(patch.phoneNumbers, 'body/phoneNumbers') }),
  });
  if (patch.conferenceEmails !== undefined) ctx.store.users.setConferenceEmails(userId, patch.conferenceEmails);
  audit(ctx, { accountId: before.accountId, action: 'user.profile-changed', target: { kind: 'user', id: userId }, detail: { fields: Object.keys(patch) } });
  return patch.conferenceEmails === undefined ? updated : { ...updated, conferenceEmails: patch.conferenceEmails };
}

/** Sets a user's password and signs them out everywhere else. */
export async function setPassword(ctx: AdminContext, userId: string, password: string, keepSessionId: string | null): Promise<void> {
  const user = requireUser(ctx, userId);
  ctx.store.users.setPasswordHash(userId, await hashPassword(checkPassword(password)));
  for (const session of ctx.store.sessions.liveOf(userId, ctx.now())) {
    if (session.id !== keepSessionId) ctx.store.sessions.revoke(session.id, ctx.now());
  }
  audit(ctx, { accountId: user.accountId, action: 'user.password-changed', target: { kind: 'user', id: userId }, detail: {} });
}

function checkNotLastAdmin(ctx: AdminContext, user: UserProfile): void {
  if (user.role === 'admin' && ctx.store.users.adminCount(user.accountId) <= 1) {
    throw new AppError('LAST_ADMIN', 'an account keeps at least one admin: make another user an admin first');
  }
}

/**
 * Changes a user's role. A user who owns rooms cannot become a delegate (409
 * `USER_OWNS_ROOMS`), the last admin stays one (409 `LAST_ADMIN`), and delegations end when
 * the user stops (or starts) being a delegate.
 */
export function changeRole(ctx: AdminContext, userId: string, role: UserRole): UserProfile {
  const user = requireUser(ctx, userId);
  if (user.role === role) return user;
  checkNotLastAdmin(ctx, user);
  if (role === 'delegate' && ctx.store.users.roomCount(userId) > 0) {
    throw new AppError('USER_OWNS_ROOMS', 'the user owns rooms: move them to another host or delete them first');
  }
  const updated = ctx.store.transaction(() => {
    if (user.role === 'delegate' || role === 'delegate') ctx.store.delegations.revokeAllOf(userId);
    return ctx.store.users.setRole(userId, role);
  });
  audit(ctx, { accountId: user.accountId, action: 'user.role-changed', target: { kind: 'user', id: userId }, detail: { from: user.role, to: role } });
  return updated;
}

/** Removes a user with their keys, sessions and delegations; not while they own rooms. */
export function removeUser(ctx: AdminContext, userId: string): void {
  const user = requireUser(ctx, userId);
  checkNotLastAdmin(ctx, user);
  const rooms = ctx.store.users.roomCount(userId);
  if (rooms > 0) {
    throw new AppError('USER_OWNS_ROOMS', `the user owns ${rooms} room(s): move them to another host or delete them first`, { details: { rooms } });
  }
  ctx.store.users.remove(userId);
  audit(ctx, { accountId: user.accountId, action: 'user.removed', target: { kind: 'user', id: userId }, detail: { role: user.role } });
}
