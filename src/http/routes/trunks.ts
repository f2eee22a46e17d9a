import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { SERVER_TARGET } from '../../admin/targets.ts';
import { createTrunk, deleteTrunk, replaceTrunk, trunkView } from '../../admin/trunks.ts';
import { authorize } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { TrunkBody, TrunkSchema } from '../schemas/trunk-schemas.ts';

/** Options of {@link trunkRoutes}. */
export interface TrunkRoutesOptions {
  readonly admin: Administration;
}

const Params = Type.Object({ trunkId: Id });

/** `/trunks`: the operator's carrier trunks — inbound ranges, DIDs, outbound proxy and digest credentials. */
export const trunkRoutes: FastifyPluginAsyncTypebox<TrunkRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/trunks',
    {
      schema: {
        summary: 'List carrier trunks',
        tags: ['trunks'],
        operationId: 'listTrunks',
        querystring: PageQuery,
        response: { 200: PageOf(TrunkSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      const page = admin.store.trunks.list({ limit: request.query.limit ?? 50, cursor: request.query.cursor });
      return { items: page.items.map((t) => trunkView(admin, t.id)), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/trunks',
    {
      schema: {
        summary: 'Add a carrier trunk',
        description: 'The digest password is stored encrypted with the server key and never returned (`hasPassword` says whether one is set).',
        tags: ['trunks'],
        operationId: 'createTrunk',
        body: TrunkBody,
        response: { 201: TrunkSchema, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      return reply.code(201).send(createTrunk(adminContext(request, admin), request.body));
    },
  );

  app.get(
    '/trunks/:trunkId',
    {
      schema: { summary: 'One carrier trunk', tags: ['trunks'], operationId: 'getTrunk', params: Params, response: { 200: TrunkSchema, ...commandErrorResponses } },
    },
    async (request) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      return trunkView(admin, request.params.trunkId);
    },
  );

  app.put(
    '/trunks/:trunkId',
    {
      schema: {
        summary: 'Replace a carrier trunk',
        description: 'Every field as for POST; an absent password keeps the stored one.',
        tags: ['trunks'],
        operationId: 'replaceTrunk',
        params: Params,
        body: TrunkBody,
        response: { 200: TrunkSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      return replaceTrunk(adminContext(request, admin), request.params.trunkId, request.body);
    },
  );

  app.delete(
    '/trunks/:trunkId',
    {
      schema: { summary: 'Delete a carrier trunk', tags: ['trunks'], operationId: 'deleteTrunk', params: Params, response: { 204: Type.Null({ description: 'Done.' }), ...commandErrorResponses } },
    },
    async (request, reply) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      deleteTrunk(adminContext(request, admin), request.params.trunkId);
      return reply.code(204).send(null);
    },
  );
};
