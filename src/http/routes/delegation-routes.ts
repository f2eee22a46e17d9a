import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { grantDelegation, revokeDelegation } from '../../admin/delegations.ts';
import { accountTarget } from '../../admin/targets.ts';
import { AppError } from '../../lib/errors.ts';
import { authorize, authorizedUser } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { DelegationBody, DelegationSchema, Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link delegationRoutes}. */
export interface DelegationRoutesOptions {
  readonly admin: Administration;
}

const NoContent = Type.Null({ description: 'Done.' });

/** Delegations: who acts for which hosts. */
export const delegationRoutes: FastifyPluginAsyncTypebox<DelegationRoutesOptions> = async (app, { admin }) => {
  /** The account of the delegation's delegate, if the caller may manage its delegations. */
  const accountOfDelegate = (request: Parameters<typeof authorize>[0], delegateUserId: string): string => {
    const delegate = admin.store.users.get(delegateUserId);
    authorize(request, 'delegation.manage', delegate === null ? null : accountTarget(delegate.accountId), 'user');
    if (delegate === null) throw new AppError('NOT_FOUND', 'user not found');
    return delegate.accountId;
  };

  app.get(
    '/users/:userId/delegations',
    {
      schema: {
        summary: 'The delegations a user is part of (as delegate or as host)',
        tags: ['delegations'],
        operationId: 'listDelegations',
        params: Type.Object({ userId: Id }),
        querystring: PageQuery,
        response: { 200: PageOf(DelegationSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const user = authorizedUser(request, admin, request.params.userId, 'user.delegations');
      return admin.store.delegations.pageInvolving(user.id, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    },
  );

  app.post(
    '/delegations',
    {
      schema: {
        summary: 'Let a delegate act for a host',
        tags: ['delegations'],
        operationId: 'grantDelegation',
        body: DelegationBody,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const accountId = accountOfDelegate(request, request.body.delegateUserId);
      grantDelegation(adminContext(request, admin), accountId, request.body.delegateUserId, request.body.hostUserId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/delegations/:delegateUserId/:hostUserId',
    {
      schema: {
        summary: 'End a delegation',
        tags: ['delegations'],
        operationId: 'revokeDelegation',
        params: Type.Object({ delegateUserId: Id, hostUserId: Id }),
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const accountId = accountOfDelegate(request, request.params.delegateUserId);
      revokeDelegation(adminContext(request, admin), accountId, request.params.delegateUserId, request.params.hostUserId);
      return reply.code(204).send(null);
    },
  );
};
