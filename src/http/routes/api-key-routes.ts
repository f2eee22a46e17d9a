import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { createApiKey, revokeApiKey } from '../../admin/api-keys.ts';
import { AppError } from '../../lib/errors.ts';
import { authorizedUser } from '../authorize.ts';
import { adminContext, userIdParam } from '../principal-hook.ts';
import { ApiKeySchema, Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link apiKeyRoutes}. */
export interface ApiKeyRoutesOptions {
  readonly admin: Administration;
}

const NoContent = Type.Null({ description: 'Done.' });

/** API keys: your own (create, list, revoke); an admin's view of anyone's in the account. */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/users/:userId/api-keys',
    {
      schema: {
        summary: "A user's API keys (never the keys themselves)",
        tags: ['api-keys'],
        operationId: 'listApiKeys',
        params: Type.Object({ userId: Id }),
        querystring: PageQuery,
        response: { 200: PageOf(ApiKeySchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'apikey.list');
      return admin.store.apiKeys.page(user.id, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    },
  );

  app.post(
    '/users/:userId/api-keys',
    {
      schema: {
        summary: 'Create an API key for yourself',
        description: 'The key is in this answer and never again; only its hash is kept.',
        tags: ['api-keys'],
        operationId: 'createApiKey',
        params: Type.Object({ userId: Id }),
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...ApiKeySchema.properties, key: Type.String() }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'apikey.create');
      const { info, key } = createApiKey(adminContext(request, admin), user.id, user.accountId, request.body.name);
      return reply.code(201).send({ ...info, key });
    },
  );

  app.delete(
    '/users/:userId/api-keys/:keyId',
    {
      schema: {
        summary: 'Revoke an API key',
        description: 'Takes effect at once, also on open event streams.',
        tags: ['api-keys'],
        operationId: 'revokeApiKey',
        params: Type.Object({ userId: Id, keyId: Id }),
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'apikey.revoke');
      const key = admin.store.apiKeys.get(request.params.keyId);
      if (key?.userId !== user.id) throw new AppError('NOT_FOUND', 'API key not found');
      revokeApiKey(adminContext(request, admin), key, user.accountId);
      return reply.code(204).send(null);
    },
  );
};
