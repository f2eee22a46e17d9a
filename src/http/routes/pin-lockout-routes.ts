import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { liftPinLockout, pinLockoutOf } from '../../admin/pin-lockouts.ts';
import { authorizedRoom } from '../authorize.ts';
import { adminContext } from '../principal-hook.ts';
import { Id } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link pinLockoutRoutes}. */
export interface PinLockoutRoutesOptions {
  readonly admin: Administration;
}

const LockoutView = Type.Object({
  serviceNumber: Type.String(),
  locked: Type.Boolean({ description: 'Whether callers not known to the room are turned away now.' }),
  until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  failures: Type.Integer({ description: 'Wrong PINs on the service number within the lockout window.' }),
  limit: Type.Integer({ description: 'How many wrong PINs lock the service number.' }),
});
const Lifted = Type.Object({ ...LockoutView.properties, forgiven: Type.Integer({ description: 'Wrong PINs forgiven by lifting.' }) });

/**
 * The PIN lock of a room's service number: seen (`room.read`) and lifted (`room.lift-pin-lockout`)
 * by the room's host side. Lifting forgives the wrong PINs entered on the number so far,
 * is audited and is announced as a `pin.lockout-lifted` live event.
 */
export const pinLockoutRoutes: FastifyPluginAsyncTypebox<PinLockoutRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/rooms/:roomId/pin-lockout',
    {
      schema: { summary: "The PIN lock of the room's service number", tags: ['rooms'], operationId: 'getPinLockout', params: Type.Object({ roomId: Id }), response: { 200: LockoutView, ...commandErrorResponses } },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.read');
      return pinLockoutOf(admin, room, admin.lockoutPolicy);
    },
  );

  app.delete(
    '/rooms/:roomId/pin-lockout',
    {
      schema: {
        summary: "Lift the PIN lock of the room's service number",
        description: 'Forgives every wrong PIN entered on the service number so far (the number-wide lock, and the locks and delays of callers from those entries). Audited; announced as pin.lockout-lifted.',
        tags: ['rooms'],
        operationId: 'liftPinLockout',
        params: Type.Object({ roomId: Id }),
        response: { 200: Lifted, ...commandErrorResponses },
      },
    },
    async (request) => {
      const room = authorizedRoom(request, admin, request.params.roomId, 'room.lift-pin-lockout');
      const forgiven = liftPinLockout(adminContext(request, admin), room, (_roomId, failures) => admin.conferences.pinLockoutLifted?.(room.serviceNumber, failures));
      return { ...pinLockoutOf(admin, room, admin.lockoutPolicy), forgiven };
    },
  );
};
