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
import type { TrunkHealth } from '../../domain/trunk.ts';

/** Options of {@link trunkRoutes}. */
export interface TrunkRoutesOptions {
  readonly admin: Administration;
  /** Trunk faults since start (401/407 twice, unreachable); none: an empty list. */
  readonly trunkHealth: (() => TrunkHealth[]) | undefined;
}

const HealthSchema = Type.Object({
  items: Type.Array(Type.Object({ trunkId: Type.String(), name: Type.String(), errors: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]) })),
});

const Params = Type.Object({ trunkId: Id });

/** `/trunks`: the operator's carrier trunks — inbound ranges, DIDs, outbound proxy and digest credentials. */
export const trunkRoutes: FastifyPluginAsyncTypebox<TrunkRoutesOptions> = async (app, { admin, trunkHealth }) => {
  app.get(
    '/trunks/health',
    {
      schema: {
        summary: 'Trunk faults since start',
        description: 'Per trunk that failed: how many dials it failed (rejected the credentials twice, `trunk-auth`; unreachable or 5xx, `trunk-unreachable`) and the last reason. Never a credential.',
        tags: ['trunks'],
        operationId: 'trunkHealth',
        response: { 200: HealthSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      authorize(request, 'trunk.manage', SERVER_TARGET);
      return { items: trunkHealth?.() ?? [] };
    },
  );

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
