import { Type } from 'typebox';
import { Id } from './admin-schemas.ts';

const strict = { additionalProperties: false } as const;
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2 (GB, DE, US): national DIDs and CLIs from this trunk are read in this country.' });
const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' });

const Did = Type.Object(
  {
    did: Type.String({ minLength: 3, maxLength: 32, description: 'A number the carrier delivers: international, or national in the trunk\'s country. Stored in E.164.' }),
    serviceNumber: Type.String({ minLength: 1, maxLength: 16, description: 'The service number it stands for (its rooms answer).' }),
  },
  strict,
);

/** The body of `POST /trunks` and `PUT /trunks/{trunkId}`. */
export const TrunkBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    accountId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'The account whose dial-outs use it; null: any account without its own trunk.' })),
    country: Type.Optional(Type.Union([Country, Type.Null()])),
    inboundCidrs: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { maxItems: 64, description: 'Address ranges the carrier calls from (CIDR). Calls from no trunk\'s range are refused 403.' })),
    outboundUri: Type.Optional(Type.Union([Type.String({ minLength: 5, maxLength: 256 }), Type.Null()], { description: 'Where outbound INVITEs go, e.g. sip:sbc.carrier.example:5060; null: inbound only.' })),
    transport: Type.Optional(Type.Union([Type.Literal('udp'), Type.Literal('tcp')])),
    username: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    password: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], { description: 'Digest password: stored encrypted, never returned. Omit on PUT to keep it; null removes it.' })),
    callerIds: Type.Optional(Type.Array(E164, { maxItems: 256, description: 'Numbers it may present; empty: the account\'s service numbers.' })),
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    dids: Type.Optional(Type.Array(Did, { maxItems: 1000 })),
  },
  strict,
);

/** A trunk as the API shows it: the password is never part of it, only whether one is set. */
export const TrunkSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  accountId: Type.Union([Type.String(), Type.Null()]),
  country: Type.Union([Type.String(), Type.Null()]),
  inboundCidrs: Type.Array(Type.String()),
  outboundUri: Type.Union([Type.String(), Type.Null()]),
  transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')]),
  username: Type.Union([Type.String(), Type.Null()]),
  hasPassword: Type.Boolean(),
  callerIds: Type.Array(Type.String()),
  maxConcurrent: Type.Integer(),
  dids: Type.Array(Type.Object({ did: Type.String(), serviceNumber: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
});
