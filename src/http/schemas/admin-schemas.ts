import { Type, type TSchema } from 'typebox';

const strict = { additionalProperties: false } as const;

/** An id in a path. */
export const Id = Type.String({ minLength: 1, maxLength: 128 });

/** Roles of users. */
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('host'), Type.Literal('delegate')]);

/** `limit` and `cursor` of every list. */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'At most this many items (default 50).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'The `nextCursor` of the previous page.' })),
  },
  strict,
);

/** A page of `item`s. */
export function PageOf(item: TSchema): TSchema {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page.' }),
  });
}

/** A customer account. */
export const AccountSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  retentionMonths: Type.Union([Type.Integer(), Type.Null()], { description: 'Months personal data is kept; null: the default (12).' }),
  keepNameClips: Type.Boolean({ description: 'Spoken-name clips are kept with the history; otherwise deleted when their conference ends.' }),
  requireBillingCode: Type.Boolean({ description: 'A host starting a conference without a billing code is asked for one on the keypad.' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')]),
  recordAllConferences: Type.Boolean({ description: 'Every conference is recorded from its start; everyone on it is told.' }),
  recordingReminderSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'While recording, a short tone to everyone this often; null: none.' }),
  erasureKeepsRecordings: Type.Boolean({ description: "On a person's erasure, their own recordings are kept under the account's legal hold instead of deleted." }),
  createdAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email' });
const Password = Type.String({ minLength: 1, maxLength: 256, description: 'At least 12 characters; stored as an argon2id hash, never shown.' });
const PhoneNumbers = Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 10, description: 'E.164 numbers, such as +442071234567.' });
const Retention = Type.Union([Type.Integer({ minimum: 1, maximum: 120 }), Type.Null()]);
const Name = Type.String({ minLength: 1, maxLength: 128 });

/** A user's profile (never the password). */
export const UserSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  email: Type.Union([Type.String(), Type.Null()]),
  phoneNumbers: Type.Array(Type.String()),
  hasPassword: Type.Boolean(),
  conferenceEmails: Type.Boolean({ description: 'Gets the post-conference email for their rooms.' }),
  createdAt: Type.String({ format: 'date-time' }),
});

/** The body of `POST /accounts`. */
export const NewAccountBody = Type.Object(
  {
    name: Name,
    retentionMonths: Type.Optional(Retention),
    admin: Type.Object({ name: Name, email: Email, password: Type.Optional(Password), phoneNumbers: Type.Optional(PhoneNumbers) }, strict),
  },
  strict,
);

/** The body of `PATCH /accounts/{id}`. */
export const AccountPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    retentionMonths: Type.Optional(Retention),
    recordAllConferences: Type.Optional(Type.Boolean()),
    recordingReminderSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 10, maximum: 3600 }), Type.Null()])),
    keepNameClips: Type.Optional(Type.Boolean()),
    requireBillingCode: Type.Optional(Type.Boolean()),
    erasureKeepsRecordings: Type.Optional(Type.Boolean()),
  },
  strict,
);

/** The body of `POST /users`. */
export const NewUserBody = Type.Object(
  {
    name: Name,
    email: Email,
    role: RoleSchema,
    password: Type.Optional(Password),
    phoneNumbers: Type.Optional(PhoneNumbers),
    accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Required for the operator; must be your own account otherwise.' })),
  },
  strict,
);

/** The body of `PATCH /users/{id}`. */
export const ProfilePatchBody = Type.Object(
  { name: Type.Optional(Name), email: Type.Optional(Email), phoneNumbers: Type.Optional(PhoneNumbers), conferenceEmails: Type.Optional(Type.Boolean({ description: 'false: no post-conference emails.' })) },
  strict,
);

/** The body of `PUT /users/{id}/password`. */
export const PasswordBody = Type.Object({ password: Password }, strict);

/** The body of `PUT /users/{id}/role`. */
export const RoleBody = Type.Object({ role: RoleSchema }, strict);

/** An API key as listed. */
export const ApiKeySchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key.' }),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** A delegation. */
export const DelegationSchema = Type.Object({ delegateUserId: Type.String(), hostUserId: Type.String() });

/** The body of `POST /delegations`. */
export const DelegationBody = Type.Object({ delegateUserId: Id, hostUserId: Id }, strict);

/** A service number. */
export const ServiceNumberSchema = Type.Object({
  number: Type.String(),
  accountId: Type.Union([Type.String(), Type.Null()]),
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const Label = Type.Union([Type.String({ maxLength: 128 }), Type.Null()]);

/** The body of `POST /service-numbers`. */
export const NewServiceNumberBody = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 16 }), accountId: Type.Optional(Type.Union([Id, Type.Null()])), label: Type.Optional(Label) },
  strict,
);

/** The body of `PATCH /service-numbers/{number}`. */
export const ServiceNumberPatchBody = Type.Object({ accountId: Type.Optional(Type.Union([Id, Type.Null()])), label: Type.Optional(Label) }, strict);

/** One audit entry. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  accountId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Object({
    kind: Type.String(),
    id: Type.Union([Type.String(), Type.Null()]),
    role: Type.String(),
    via: Type.Union([Type.String(), Type.Null()]),
    sourceAddress: Type.Union([Type.String(), Type.Null()]),
  }),
  action: Type.String(),
  target: Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
