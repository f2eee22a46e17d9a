import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { setConferenceBillingCode, setRoomBillingCode } from '../../admin/billing-codes.ts';
import { AppError } from '../../lib/errors.ts';
import { authorizedRoom } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { Id } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link billingCodeRoutes}. */
export interface BillingCodeRoutesOptions {
  readonly admin: Administration;
}

const Code = Type.Union([Type.String({ maxLength: 32 }), Type.Null()], { description: 'A matter code (letters, digits, . _ / -; at most 32); null or blank clears it.' });
const CodeBody = Type.Object({ billingCode: Code }, { additionalProperties: false });
const CodeAnswer = Type.Object({ billingCode: Type.Union([Type.String(), Type.Null()]) });

/**
 * Billing (matter) codes: a room's (copied to each conference as it starts) and a single
 * conference's, set before, during or after it (`room.billing-code`: admins, the host,
 * their delegates; a host on the keypad uses the billing-code key instead).
 */
export const billingCodeRoutes: FastifyPluginAsyncTypebox<BillingCodeRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/rooms/:roomId/billing-code',
    {
      schema: { summary: "A room's billing code", tags: ['billing'], operationId: 'getRoomBillingCode', params: Type.Object({ roomId: Id }), response: { 200: CodeAnswer, ...commandErrorResponses } },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.read');
      return { billingCode: admin.store.rooms.billingCode(room.id) };
    },
  );

  app.put(
    '/rooms/:roomId/billing-code',
    {
      schema: {
        summary: "Set a room's billing code",
        description: 'Applies to conferences that start from now on; a running one keeps its own (set it with PUT /v1/conferences/{id}/billing-code).',
        tags: ['billing'],
        operationId: 'setRoomBillingCode',
        params: Type.Object({ roomId: Id }),
        body: CodeBody,
        response: { 200: CodeAnswer, ...commandErrorResponses },
      },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.billing-code');
      return { billingCode: setRoomBillingCode(adminContext(request, admin), room, request.body.billingCode) };
    },
  );

  app.put(
    '/conferences/:conferenceId/billing-code',
    {
      schema: {
        summary: "Set a conference's billing code (during or after it)",
        tags: ['billing'],
        operationId: 'setConferenceBillingCode',
        params: Type.Object({ conferenceId: Id }),
        body: CodeBody,
        response: { 200: CodeAnswer, ...commandErrorResponses },
      },
    },
    async (request) => {
      const conference = admin.store.conferences.get(request.params.conferenceId);
      if (conference === null) throw new AppError('NOT_FOUND', 'conference not found');
      const room = authorizedRoom(request, admin, conference.roomId, 'room.billing-code');
      return { billingCode: setConferenceBillingCode(adminContext(request, admin), room, conference, request.body.billingCode) };
    },
  );
};
