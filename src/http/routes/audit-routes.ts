import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { accountTarget } from '../../admin/targets.ts';
import { authorize } from '../authorize.ts';
import { principalOf } from '../principal-hook.ts';
import { AuditEntrySchema, Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link auditRoutes}. */
export interface AuditRoutesOptions {
  readonly admin: Administration;
}

const AuditQuery = Type.Object(
  {
    ...PageQuery.properties,
    actorId: Type.Optional(Id),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    targetId: Type.Optional(Id),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** `GET /audit`: who changed what in the account, newest first (admins). */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/audit',
    {
      schema: {
        summary: "The account's audit log",
        description: 'Every change a person made: when, who, by what credential, from where, what and to what. Newest first.',
        tags: ['audit'],
        operationId: 'listAudit',
        querystring: AuditQuery,
        response: { 200: PageOf(AuditEntrySchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const accountId = principal.kind === 'user' ? principal.accountId : '';
      authorize(request, 'account.audit', accountTarget(accountId));
      const { limit = 50, cursor, actorId, action, targetId, from, to } = request.query;
      const toIso = (v: string | undefined): string | undefined => (v === undefined ? undefined : new Date(v).toISOString());
      return admin.store.audit.query({ accountId, actorId, action, targetId, from: toIso(from), to: toIso(to) }, { limit, cursor });
    },
  );
};
