import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { principalOf } from './principal-hook.ts';

/**
 * The account a request about an account's things is for: the caller's own, or for the
 * operator the one named (required, since the operator belongs to none). Naming another
 * account is 404, as for one that does not exist.
 */
export function accountFor(request: FastifyRequest, named: string | undefined): string {
  const principal = principalOf(request);
  if (principal.kind === 'operator') {
    if (named === undefined) throw new AppError('BAD_REQUEST', 'accountId is required for the operator', { details: { field: 'accountId' } });
    return named;
  }
  if (principal.kind !== 'user') throw new AppError('NOT_FOUND', 'account not found');
  if (named !== undefined && named !== principal.accountId) throw new AppError('NOT_FOUND', 'account not found');
  return principal.accountId;
}
