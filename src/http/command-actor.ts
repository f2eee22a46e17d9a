import type { FastifyRequest } from 'fastify';
import type { Actor } from '../flows/host-commands.ts';
import { AppError } from '../lib/errors.ts';
import { callerOf } from './principal-hook.ts';

/** The request's caller as the actor of a host command (recorded in leg history). */
export function commandActor(request: FastifyRequest): Actor {
  const { principal, credential } = callerOf(request);
  // The permission table lets only users control rooms; any other principal got 404/403 already.
  if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'only people of the account may control its rooms');
  return { kind: 'user', principal, via: credential.kind === 'session' ? 'session' : 'api-key', sourceAddress: request.ip };
}
