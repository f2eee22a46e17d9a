import { Type } from 'typebox';

/** The body of `POST /session`. */
export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

/** A user as the session shows them. */
const SessionUser = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('host'), Type.Literal('delegate')]),
});

/** The answer to signing in. */
export const SessionSchema = Type.Object({
  user: SessionUser,
  csrfToken: Type.String({ description: 'Send as `x-csrf-token` with every request that changes something.' }),
  expiresAt: Type.String({ format: 'date-time' }),
});

/** The answer to `GET /session`. */
export const SessionStatusSchema = Type.Object({ user: SessionUser, expiresAt: Type.String({ format: 'date-time' }) });
