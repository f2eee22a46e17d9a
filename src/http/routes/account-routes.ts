import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createAccount, setAccountStatus, updateAccount } from '../../admin/accounts.ts';
import type { Administration } from '../../admin/administration.ts';
import { accountTarget, SERVER_TARGET } from '../../admin/targets.ts';
import type { AccountStatus } from '../../domain/account.ts';
import { AppError } from '../../lib/errors.ts';
import { allowed, authorize } from '../authorize.ts';
import { adminContext, principalOf } from '../principal-hook.ts';
import { AccountPatchBody, AccountSchema, Id, NewAccountBody, PageOf, PageQuery, UserSchema } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link accountRoutes}. */
export interface AccountRoutesOptions {
  readonly admin: Administration;
}

const AccountParams = Type.Object({ accountId: Id });

const LIFECYCLE: readonly { verb: string; status: AccountStatus; summary: string }[] = [
  { verb: 'suspend', status: 'suspended', summary: 'Suspend an account (its keys, sessions and rooms stop working until resumed)' },
  { verb: 'resume', status: 'active', summary: 'Resume a suspended account' },
  { verb: 'close', status: 'closed', summary: 'Close an account for good (ends its conferences; starts the retention clock)' },
];

/** `/accounts`: the operator's customers; members read their own. */
export const accountRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, { admin }) => {
  app.post(
    '/accounts',
    {
      schema: {
        summary: 'Create an account with its first admin',
        description: 'Answers the admin with an API key, shown this once.',
        tags: ['accounts'],
        operationId: 'createAccount',
        body: NewAccountBody,
        response: {
          201: Type.Object({ account: AccountSchema, admin: UserSchema, apiKey: Type.Object({ id: Type.String(), key: Type.String() }) }),
          ...commandErrorResponses,
        },
      },
    },
    async (request, reply) => {
      authorize(request, 'account.create', SERVER_TARGET);
      const created = await createAccount(adminContext(request, admin), request.body);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/accounts',
    {
      schema: {
        summary: 'List accounts',
        description: 'The operator sees every account; anyone else their own.',
        tags: ['accounts'],
        operationId: 'listAccounts',
        querystring: PageQuery,
        response: { 200: PageOf(AccountSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      if (allowed(request, 'account.list-all', SERVER_TARGET)) return admin.store.accounts.list({ limit, cursor });
      const principal = principalOf(request);
      const own = principal.kind === 'user' ? admin.store.accounts.get(principal.accountId) : null;
      return { items: own === null ? [] : [own], nextCursor: null };
    },
  );

  app.get(
    '/accounts/:accountId',
    {
      schema: { summary: 'One account', tags: ['accounts'], operationId: 'getAccount', params: AccountParams, response: { 200: AccountSchema, ...commandErrorResponses } },
    },
    async (request) => {
      const account = admin.store.accounts.get(request.params.accountId);
      authorize(request, 'account.read', account === null ? null : accountTarget(account.id), 'account');
      if (account === null) throw new AppError('NOT_FOUND', 'account not found');
      return account;
    },
  );

  app.patch(
    '/accounts/:accountId',
    {
      schema: {
        summary: 'Rename an account or set its retention',
        tags: ['accounts'],
        operationId: 'updateAccount',
        params: AccountParams,
        body: AccountPatchBody,
        response: { 200: AccountSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const account = admin.store.accounts.get(request.params.accountId);
      authorize(request, 'account.update', account === null ? null : accountTarget(account.id), 'account');
      return updateAccount(adminContext(request, admin), request.params.accountId, request.body);
    },
  );

  for (const { verb, status, summary } of LIFECYCLE) {
    app.post(
      `/accounts/:accountId/${verb}`,
      {
        schema: { summary, tags: ['accounts'], operationId: `${verb}Account`, params: AccountParams, response: { 200: AccountSchema, ...commandErrorResponses } },
      },
      async (request) => {
        const account = admin.store.accounts.get(request.params.accountId);
        authorize(request, 'account.lifecycle', account === null ? null : accountTarget(account.id), 'account');
        return setAccountStatus(adminContext(request, admin), request.params.accountId, status, (id) => admin.conferences.endAllOf(id));
      },
    );
  }
};
