import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { accountTarget } from '../../admin/targets.ts';
import { changeRole, createUser, removeUser, setPassword, updateProfile } from '../../admin/users.ts';
import { AppError } from '../../lib/errors.ts';
import { authorize, authorizedUser } from '../authorize.ts';
import { accountFor } from '../account-scope.ts';
import { adminContext, callerOf, userIdParam } from '../principal-hook.ts';
import { Id, NewUserBody, PageOf, PageQuery, PasswordBody, ProfilePatchBody, RoleBody, RoleSchema, UserSchema } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link userRoutes}. */
export interface UserRoutesOptions {
  readonly admin: Administration;
}

const UserParams = Type.Object({ userId: Id });
const NoContent = Type.Null({ description: 'Done.' });


/** `/users`: an account's people, their profiles, roles and passwords. */
export const userRoutes: FastifyPluginAsyncTypebox<UserRoutesOptions> = async (app, { admin }) => {
  const accountOrNull = (id: string): ReturnType<typeof accountTarget> | null => (admin.store.accounts.get(id) === null ? null : accountTarget(id));

  app.get(
    '/users',
    {
      schema: {
        summary: "List an account's users",
        tags: ['users'],
        operationId: 'listUsers',
        querystring: Type.Object({ ...PageQuery.properties, role: Type.Optional(RoleSchema), accountId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: PageOf(UserSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const accountId = accountFor(request, request.query.accountId);
      authorize(request, 'user.list', accountOrNull(accountId), 'account');
      return admin.store.users.ofAccount(accountId, { limit: request.query.limit ?? 50, cursor: request.query.cursor }, request.query.role);
    },
  );

  app.post(
    '/users',
    {
      schema: { summary: 'Create a user', tags: ['users'], operationId: 'createUser', body: NewUserBody, response: { 201: UserSchema, ...commandErrorResponses } },
    },
    async (request, reply) => {
      const accountId = accountFor(request, request.body.accountId);
      authorize(request, 'user.create', accountOrNull(accountId), 'account');
      const { name, email, role, password, phoneNumbers } = request.body;
      return reply.code(201).send(await createUser(adminContext(request, admin), accountId, { name, email, role, password, phoneNumbers }));
    },
  );

  app.get(
    '/users/:userId',
    {
      schema: {
        summary: 'A user profile',
        description: '`me` is the caller. Passwords are never shown (`hasPassword` only).',
        tags: ['users'],
        operationId: 'getUser',
        params: UserParams,
        response: { 200: UserSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'user.read');
      const profile = admin.store.users.profile(user.id);
      if (profile === null) throw new AppError('NOT_FOUND', 'user not found');
      return profile;
    },
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        summary: 'Edit a user profile',
        tags: ['users'],
        operationId: 'updateUser',
        params: UserParams,
        body: ProfilePatchBody,
        response: { 200: UserSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'user.edit-profile');
      return updateProfile(adminContext(request, admin), user.id, request.body);
    },
  );

  app.put(
    '/users/:userId/password',
    {
      schema: {
        summary: "Set a user's password",
        description: 'Signs the user out of every other session.',
        tags: ['users'],
        operationId: 'setPassword',
        params: UserParams,
        body: PasswordBody,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'user.edit-profile');
      const credential = callerOf(request).credential;
      await setPassword(adminContext(request, admin), user.id, request.body.password, credential.kind === 'session' ? credential.id : null);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/users/:userId/role',
    {
      schema: {
        summary: "Change a user's role",
        tags: ['users'],
        operationId: 'changeRole',
        params: UserParams,
        body: RoleBody,
        response: { 200: UserSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'user.change-role');
      return changeRole(adminContext(request, admin), user.id, request.body.role);
    },
  );

  app.delete(
    '/users/:userId',
    {
      schema: {
        summary: 'Remove a user',
        description: 'A host who owns rooms is 409 USER_OWNS_ROOMS until their rooms are moved or deleted.',
        tags: ['users'],
        operationId: 'removeUser',
        params: UserParams,
        response: { 204: NoContent, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const user = authorizedUser(request, admin, userIdParam(request, request.params.userId), 'user.remove');
      removeUser(adminContext(request, admin), user.id);
      return reply.code(204).send(null);
    },
  );
};
