import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { createServiceNumber, deleteServiceNumber, updateServiceNumber } from '../../admin/service-numbers.ts';
import { accountTarget, SERVER_TARGET } from '../../admin/targets.ts';
import { allowed, authorize } from '../authorize.ts';
import { adminContext, principalOf } from '../principal-hook.ts';
import { Id, NewServiceNumberBody, PageOf, PageQuery, ServiceNumberPatchBody, ServiceNumberSchema } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link serviceNumberRoutes}. */
export interface ServiceNumberRoutesOptions {
  readonly admin: Administration;
}

const NumberParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 16 }) });
const NoContent = Type.Null({ description: 'Done.' });

/** `/service-numbers`: the numbers callers dial, and which account may use each. */
export const serviceNumberRoutes: FastifyPluginAsyncTypebox<ServiceNumberRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/service-numbers',
    {
      schema: {
        summary: 'List service numbers',
        description: "The operator sees every number (or one account's with `accountId`); anyone else their account's.",
        tags: ['service-numbers'],
        operationId: 'listServiceNumbers',
        querystring: Type.Object({ ...PageQuery.properties, accountId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: PageOf(ServiceNumberSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const page = { limit: request.query.limit ?? 50, cursor: request.query.cursor };
      if (allowed(request, 'service-number.manage', SERVER_TARGET)) return admin.store.serviceNumbers.list(page, request.query.accountId);
      const principal = principalOf(request);
      const accountId = principal.kind === 'user' ? principal.accountId : '';
      authorize(request, 'service-number.list', accountTarget(request.query.accountId ?? accountId), 'account');
      return admin.store.serviceNumbers.list(page, accountId);
    },
  );

  app.post(
    '/service-numbers',
    {
      schema: {
        summary: 'Add a service number',
        tags: ['service-numbers'],
        operationId: 'createServiceNumber',
        body: NewServiceNumberBody,
        response: { 201: ServiceNumberSchema, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      authorize(request, 'service-number.manage', SERVER_TARGET);
      const { number, accountId = null, label = null } = request.body;
      return reply.code(201).send(createServiceNumber(adminContext(request, admin), { number, accountId, label }));
    },
  );

  app.patch(
    '/service-numbers/:number',
    {
      schema: {
        summary: 'Assign a service number to an account, or relabel it',
        tags: ['service-numbers'],
        operationId: 'updateServiceNumber',
        params: NumberParams,
        body: ServiceNumberPatchBody,
        response: { 200: ServiceNumberSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      authorize(request, 'service-number.manage', SERVER_TARGET);
      return updateServiceNumber(adminContext(request, admin), request.params.number, request.body);
    },
  );

  app.delete(
    '/service-numbers/:number',
    {
      schema: {
        summary: 'Delete a service number no room uses',
        tags: ['service-numbers'],
        operationId: 'deleteServiceNumber',
        params: NumberParams,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      authorize(request, 'service-number.manage', SERVER_TARGET);
      deleteServiceNumber(adminContext(request, admin), request.params.number);
      return reply.code(204).send(null);
    },
  );
};
