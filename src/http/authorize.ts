import type { FastifyRequest } from 'fastify';
import type { Administration } from '../admin/administration.ts';
import { roomTarget, userTarget } from '../admin/targets.ts';
import { decide, type Action } from '../domain/permissions.ts';
import type { Target } from '../domain/principal.ts';
import type { Room } from '../domain/room.ts';
import type { User } from '../domain/access.ts';
import { AppError } from '../lib/errors.ts';
import { principalOf } from './principal-hook.ts';

const NOT_FOUND_MESSAGE: Record<Target['kind'], string> = {
  server: 'not found',
  account: 'account not found',
  user: 'user not found',
  room: 'room not found',
  recording: 'recording not found',
};

/**
 * Asks the permission table whether the request's caller may do `action` to `target`:
 * a target that is absent (null) or invisible to them is 404, worded the same either way;
 * a visible one they may not touch is 403 `FORBIDDEN`.
 */
export function authorize(request: FastifyRequest, action: Action, target: Target | null, kind: Target['kind'] = target?.kind ?? 'server'): void {
  const decision = target === null ? 'not-found' : decide(principalOf(request), action, target);
  if (decision === 'not-found') throw new AppError('NOT_FOUND', NOT_FOUND_MESSAGE[kind]);
  if (decision === 'forbidden') throw new AppError('FORBIDDEN', `you may not do this (${action})`, { details: { action } });
}

/** Whether the caller may do `action` to `target` (for filtering lists). */
export function allowed(request: FastifyRequest, action: Action, target: Target): boolean {
  return decide(principalOf(request), action, target) === 'allow';
}

/** The room, if the caller may do `action` to it; otherwise 404 or 403 as {@link authorize} says. */
export function authorizedRoom(request: FastifyRequest, admin: Administration, roomId: string, action: Action): Room {
  const room = admin.store.rooms.get(roomId);
  authorize(request, action, room === null ? null : roomTarget(room), 'room');
  if (room === null) throw new AppError('NOT_FOUND', 'room not found');
  return room;
}

/** The user, if the caller may do `action` to them. */
export function authorizedUser(request: FastifyRequest, admin: Administration, userId: string, action: Action): User {
  const user = admin.store.users.get(userId);
  authorize(request, action, user === null ? null : userTarget(admin.store, userId), 'user');
  if (user === null) throw new AppError('NOT_FOUND', 'user not found');
  return user;
}
