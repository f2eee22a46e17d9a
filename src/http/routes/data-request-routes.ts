import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { e164 } from '../../admin/contact-input.ts';
import { accountTarget, SERVER_TARGET } from '../../admin/targets.ts';
import type { DataSubject } from '../../domain/data-request.ts';
import { AppError } from '../../lib/errors.ts';
import { correctName, eraseData, exportData, findData, type DataRequestInput } from '../../privacy/data-subject-requests.ts';
import { accountFor } from '../account-scope.ts';
import { authorize } from '../authorize.ts';
import { adminContext, principalOf } from '../principal-hook.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link dataRequestRoutes}. */
export interface DataRequestRoutesOptions {
  readonly admin: Administration;
}

const strict = { additionalProperties: false } as const;
const Subject = Type.Union(
  [
    Type.Object({ number: Type.String({ minLength: 3, maxLength: 32, description: 'A phone number, E.164 (`+4930…`).' }) }, strict),
    Type.Object({ userId: Id }, strict),
  ],
  { description: 'Whom the request is about: a phone number or a registered user.' },
);
const RequestFields = {
  subject: Subject,
  accountId: Type.Optional(Id),
  reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why: who asked, how their identity was checked, a ticket.' }),
};
const RequestBody = Type.Object(RequestFields, strict);
const CorrectBody = Type.Object({ ...RequestFields, name: Type.String({ minLength: 1, maxLength: 100, description: 'The correct name.' }) }, strict);
const Counts = Type.Record(Type.String(), Type.Integer());
const RecordSchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  accountId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]), role: Type.String() }),
  action: Type.String(),
  subject: Type.Object({ kind: Type.String(), hint: Type.String() }),
  reason: Type.String(),
  result: Counts,
});

/**
 * The request's scope and subject: an account's admin asks about their account; the operator
 * about one named account, or about every account when none is named.
 */
function inputOf(request: FastifyRequest, admin: Administration, body: Static<typeof RequestBody>): DataRequestInput {
  const principal = principalOf(request);
  let accountId: string | null;
  if (principal.kind === 'operator' && body.accountId === undefined) {
    authorize(request, 'data-request.all-accounts', SERVER_TARGET);
    accountId = null;
  } else {
    accountId = accountFor(request, body.accountId);
    authorize(request, 'data-request.manage', admin.store.accounts.get(accountId) === null ? null : accountTarget(accountId), 'account');
  }
  let subject: DataSubject;
  if ('number' in body.subject) {
    // Valid numbers in their E.164 form; any other E.164-shaped number as given (a person may
    // ask about a number libphonenumber does not know, and legs store what the carrier sent).
    const compact = body.subject.number.replace(/[\s().-]/g, '').replace(/^00/, '+');
    const number = e164(body.subject.number) ?? (/^\+[1-9]\d{5,14}$/.test(compact) ? compact : null);
    if (number === null) throw new AppError('BAD_REQUEST', 'body/subject/number must be a phone number in E.164 (+ and country code)', { details: { field: 'subject/number' } });
    subject = { kind: 'number', number };
  } else {
    subject = { kind: 'user', userId: body.subject.userId };
  }
  return { subject, scope: { accountId }, reason: body.reason.trim() };
}

/**
 * `/data-requests`: what the service holds about a person (PRODUCT-POLICY "Your rights"),
 * for the account's admins and the operator: find it, export it as a zip, correct a name,
 * erase it. Every request is recorded with who asked and why (`GET /data-requests`).
 */
export const dataRequestRoutes: FastifyPluginAsyncTypebox<DataRequestRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/data-requests',
    {
      schema: {
        summary: 'The register of data-subject requests',
        description: 'Newest first. Subjects appear as a hint (last three digits), never in full.',
        tags: ['privacy'],
        operationId: 'listDataRequests',
        querystring: Type.Object({ ...PageQuery.properties, accountId: Type.Optional(Id) }, strict),
        response: { 200: PageOf(RecordSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      let accountId: string | null = null;
      if (principal.kind === 'operator' && request.query.accountId === undefined) authorize(request, 'data-request.all-accounts', SERVER_TARGET);
      else {
        accountId = accountFor(request, request.query.accountId);
        authorize(request, 'data-request.manage', admin.store.accounts.get(accountId) === null ? null : accountTarget(accountId), 'account');
      }
      return admin.store.dataRequests.list(accountId, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    },
  );

  app.post(
    '/data-requests/find',
    {
      schema: {
        summary: 'Find what is held about a person',
        description: 'Counts of legs, contacts, PIN attempts, conferences, recordings, clips and audit rows.',
        tags: ['privacy'],
        operationId: 'findPersonalData',
        body: RequestBody,
        response: { 200: Type.Object({ requestId: Type.String(), found: Counts }), ...commandErrorResponses },
      },
    },
    async (request) => findData(adminContext(request, admin), inputOf(request, admin, request.body)),
  );

  app.post(
    '/data-requests/export',
    {
      schema: {
        summary: 'Export what is held about a person (zip)',
        description: '`manifest.json` (every record), `summary.txt`, and their spoken-name clips and the recordings of conferences they were in.',
        tags: ['privacy'],
        operationId: 'exportPersonalData',
        body: RequestBody,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const { requestId, zip } = await exportData(adminContext(request, admin), inputOf(request, admin, request.body));
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="data-export-${requestId}.zip"`)
        .header('x-data-request-id', requestId)
        .send(zip);
    },
  );

  app.post(
    '/data-requests/correct',
    {
      schema: {
        summary: "Correct a person's name",
        description: "Sets the name on their calls (each name that was set) and on the contacts of their number; a user's profile name.",
        tags: ['privacy'],
        operationId: 'correctPersonalData',
        body: CorrectBody,
        response: { 200: Type.Object({ requestId: Type.String(), corrected: Counts }), ...commandErrorResponses },
      },
    },
    async (request) => {
      const { name, ...rest } = request.body;
      return correctName(adminContext(request, admin), inputOf(request, admin, rest), name);
    },
  );

  app.post(
    '/data-requests/erase',
    {
      schema: {
        summary: 'Erase what is held about a person',
        description:
          'Numbers and names removed from calls, contacts, PIN attempts, queued webhooks and emails, audit details; spoken-name clips deleted; their own recordings deleted (or kept under the account\'s legal hold). Billed minutes stay as anonymous aggregates. Idempotent: `nothingLeft` says a repeat found nothing.',
        tags: ['privacy'],
        operationId: 'erasePersonalData',
        body: RequestBody,
        response: {
          200: Type.Object({ requestId: Type.String(), erased: Counts, keptUnderLegalHold: Type.Integer(), skippedLive: Type.Integer(), nothingLeft: Type.Boolean() }),
          ...commandErrorResponses,
        },
      },
    },
    async (request) => eraseData(adminContext(request, admin), inputOf(request, admin, request.body)),
  );
};
