import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import { audit } from '../../admin/admin-context.ts';
import { accountTarget } from '../../admin/targets.ts';
import type { AccountDialPolicy } from '../../domain/dial-policy.ts';
import { parseDestinations } from '../../config/parse-dial.ts';
import { AppError } from '../../lib/errors.ts';
import { authorize } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { Id } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link dialPolicyRoutes}. */
export interface DialPolicyRoutesOptions {
  readonly admin: Administration;
}

const TYPES = ['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL', 'SATELLITE', 'UNKNOWN'] as const;
const Cap = Type.Integer({ minimum: 0, maximum: 100_000 });
const PolicySchema = Type.Object(
  {
    destinations: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 16 }), { maxItems: 256, description: 'Countries (GB) or E.164 prefixes (+4420); a dial must be on this list and the operator\'s.' })),
    allowedTypes: Type.Optional(Type.Array(Type.Union(TYPES.map((t) => Type.Literal(t))), { description: 'Number types to allow although refused by default (premium rate, …).' })),
    maxConcurrentPerAccount: Type.Optional(Cap),
    maxConcurrentPerRoom: Type.Optional(Cap),
    maxAttemptsPerHour: Type.Optional(Cap),
    maxAttemptsPerDay: Type.Optional(Cap),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ accountId: Id });

/** `/accounts/{accountId}/dial-policy`: the account's own, stricter dial policy (admins). */
export const dialPolicyRoutes: FastifyPluginAsyncTypebox<DialPolicyRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/accounts/:accountId/dial-policy',
    { schema: { summary: "The account's dial policy", tags: ['dial-out'], operationId: 'getDialPolicy', params: Params, response: { 200: PolicySchema, ...commandErrorResponses } } },
    async (request) => {
      authorize(request, 'dial-policy.manage', accountTarget(request.params.accountId), 'account');
      return admin.store.dialPolicies.get(request.params.accountId) as Record<string, unknown>;
    },
  );
  app.put(
    '/accounts/:accountId/dial-policy',
    {
      schema: {
        summary: "Replace the account's dial policy",
        description: 'Each field is stricter than the operator\'s default or ignored as such (caps take the lower, destinations must be on both lists); `allowedTypes` is the one way to allow premium-rate and similar numbers.',
        tags: ['dial-out'],
        operationId: 'putDialPolicy',
        params: Params,
        body: PolicySchema,
        response: { 200: PolicySchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      authorize(request, 'dial-policy.manage', accountTarget(accountId), 'account');
      let destinations: readonly string[] | undefined;
      try {
        destinations = request.body.destinations === undefined ? undefined : parseDestinations(request.body.destinations.join(','));
      } catch (err) {
        throw new AppError('BAD_REQUEST', `body/destinations ${err instanceof Error ? err.message : 'is invalid'}`, { details: { field: 'destinations' } });
      }
      const { allowedTypes, ...caps } = request.body;
      const policy: AccountDialPolicy = {
        ...caps,
        ...(destinations === undefined ? {} : { destinations }),
        ...(allowedTypes === undefined ? {} : { allowedTypes: allowedTypes }),
      };
      admin.store.dialPolicies.set(accountId, policy);
      audit(adminContext(request, admin), { accountId, action: 'dial-policy.updated', target: { kind: 'account', id: accountId }, detail: { fields: Object.keys(request.body) } });
      return policy as Record<string, unknown>;
    },
  );
};
