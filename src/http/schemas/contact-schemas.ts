import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;

/** One contact of an account's list. */
export const ContactSchema = Type.Object({
  id: Type.String(),
  accountId: Type.String(),
  number: Type.String({ description: 'E.164, e.g. +442071234567.' }),
  name: Type.String(),
  company: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Number = Type.String({ minLength: 3, maxLength: 32, description: 'A phone number: international (+44 20 7123 4567, 0044…), or national with defaultCountry. Stored in E.164.' });
const Name = Type.String({ minLength: 1, maxLength: 64 });
const Company = Type.Union([Type.String({ maxLength: 64 }), Type.Null()]);
const Country = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Country for national numbers (ISO 3166 alpha-2, e.g. GB).' });

/** One contact as given: upserted by its number. */
export const ContactRowSchema = Type.Object({ number: Number, name: Name, company: Type.Optional(Company) }, strict);

/** The body of `POST /v1/contacts`. */
export const NewContactBody = Type.Object(
  { number: Number, name: Name, company: Type.Optional(Company), accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })), defaultCountry: Type.Optional(Country) },
  strict,
);

/** The body of `PATCH /v1/contacts/{contactId}`. */
export const ContactPatchBody = Type.Object(
  { number: Type.Optional(Number), name: Type.Optional(Name), company: Type.Optional(Company), defaultCountry: Type.Optional(Country) },
  { ...strict, minProperties: 1 },
);

/** The JSON body of `POST /v1/contacts/import`. */
export const ImportBody = Type.Object(
  { contacts: Type.Array(ContactRowSchema, { maxItems: 10_000 }), defaultCountry: Type.Optional(Country) },
  strict,
);

/** What an import did. */
export const ImportResultSchema = Type.Object({
  created: Type.Integer({ description: 'Numbers that were new.' }),
  updated: Type.Integer({ description: 'Numbers that were there and got the new name.' }),
});
