import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { AppError } from '../../lib/errors.ts';
import { callerOf } from '../principal-hook.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';
import { SessionStatusSchema } from '../schemas/session-schemas.ts';
import { clearSessionCookie } from '../session/session-cookie.ts';

/** Options of {@link sessionRoutes}. */
export interface SessionRoutesOptions {
  readonly admin: Administration;
}

/** `GET /session` and `DELETE /session` (sign out), behind the principal hook. */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (app, { admin }) => {
  const sessionOf = (request: Parameters<typeof callerOf>[0]): { id: string; userId: string } => {
    const { principal, credential } = callerOf(request);
    if (credential.kind !== 'session' || principal.kind !== 'user') throw new AppError('NOT_FOUND', 'this request is not signed in with a session');
    return { id: credential.id, userId: principal.id };
  };

  app.get(
    '/session',
    {
      schema: { summary: 'The signed-in session', tags: ['session'], operationId: 'getSession', response: { 200: SessionStatusSchema, ...commandErrorResponses } },
    },
    async (request) => {
      const { id, userId } = sessionOf(request);
      const live = admin.store.sessions.liveOf(userId, admin.now()).find((s) => s.id === id);
      const user = admin.store.users.get(userId);
      if (live === undefined || user === null) throw new AppError('UNAUTHORIZED', 'the session has ended');
      return { user, expiresAt: live.expiresAt };
    },
  );

  app.delete(
    '/session',
    {
      schema: {
        summary: 'Sign out',
        description: 'Revokes the session at once, also on open event streams.',
        tags: ['session'],
        operationId: 'signOut',
        response: { 204: Type.Null({ description: 'Signed out.' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const { id } = sessionOf(request);
      admin.store.sessions.revoke(id, admin.now());
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );
};
