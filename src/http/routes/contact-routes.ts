import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { countryOf } from '../../admin/contact-input.ts';
import { deleteContact, importContacts, updateContact, upsertContact } from '../../admin/contacts.ts';
import { accountTarget } from '../../admin/targets.ts';
import type { Action } from '../../domain/permissions.ts';
import type { Contact } from '../../domain/contact.ts';
import { AppError } from '../../lib/errors.ts';
import { accountFor } from '../account-scope.ts';
import { authorize } from '../authorize.ts';
import { parseContactsCsv } from '../contacts-csv.ts';
import { adminContext } from '../principal-hook.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { ContactPatchBody, ContactSchema, ImportBody, ImportResultSchema, NewContactBody } from '../schemas/contact-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link contactRoutes}. */
export interface ContactRoutesOptions {
  readonly admin: Administration;
}

/** 10,000 rows of CSV or JSON with long names fit in this. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
const ContactParams = Type.Object({ contactId: Id });
const NoContent = Type.Null({ description: 'Done.' });

/**
 * `/contacts`: an account's contact list, which names its callers in its own conferences
 * only. Admins write it (one at a time, or an import of up to 10,000 rows as JSON or CSV,
 * upserted by E.164 number); hosts and delegates read it. There is deliberately no route that
 * takes a person's own address book: a client's local look-up stays on its device.
 */
export const contactRoutes: FastifyPluginAsyncTypebox<ContactRoutesOptions> = async (app, { admin }) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  const accountOrNull = (id: string): ReturnType<typeof accountTarget> | null => (admin.store.accounts.get(id) === null ? null : accountTarget(id));
  /** The contact, if the caller may do `action` to its account's list. */
  const authorizedContact = (request: FastifyRequest, contactId: string, action: Action): Contact => {
    const contact = admin.store.contacts.get(contactId);
    authorize(request, action, contact === null ? null : accountOrNull(contact.accountId), 'account');
    if (contact === null) throw new AppError('NOT_FOUND', 'contact not found');
    return contact;
  };

  app.get(
    '/contacts',
    {
      schema: {
        summary: "List an account's contacts",
        description: 'By name; `q` matches name, company or number. Admins, hosts and delegates of the account.',
        tags: ['contacts'],
        operationId: 'listContacts',
        querystring: Type.Object(
          { ...PageQuery.properties, accountId: Type.Optional(Id), q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(ContactSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const accountId = accountFor(request, request.query.accountId);
      authorize(request, 'contacts.read', accountOrNull(accountId), 'account');
      return admin.store.contacts.ofAccount(accountId, { limit: request.query.limit ?? 50, cursor: request.query.cursor }, request.query.q);
    },
  );

  app.post(
    '/contacts',
    {
      schema: {
        summary: 'Add a contact, or rename the one with this number',
        description: 'Upsert by E.164 number: 201 when the number was new, 200 when it was there.',
        tags: ['contacts'],
        operationId: 'upsertContact',
        body: NewContactBody,
        response: { 200: ContactSchema, 201: ContactSchema, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const { accountId: named, defaultCountry, ...row } = request.body;
      const accountId = accountFor(request, named);
      authorize(request, 'contacts.manage', accountOrNull(accountId), 'account');
      const result = upsertContact(adminContext(request, admin), accountId, row, countryOf(defaultCountry, 'body/defaultCountry'));
      return reply.code(result.created ? 201 : 200).send(result.contact);
    },
  );

  app.post(
    '/contacts/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        summary: 'Import contacts (JSON or CSV)',
        description:
          'Up to 10,000 rows in one request, all or nothing, upserted by E.164 number. JSON: `{"contacts": [{"number", "name", "company"}]}`. CSV (`Content-Type: text/csv`): a header row naming `number`, `name` and optionally `company`. National numbers need `defaultCountry` (body or query).',
        tags: ['contacts'],
        operationId: 'importContacts',
        querystring: Type.Object({ accountId: Type.Optional(Id), defaultCountry: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })) }, { additionalProperties: false }),
        body: Type.Union([ImportBody, Type.String({ description: 'CSV text (text/csv).' })]),
        response: { 200: ImportResultSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const accountId = accountFor(request, request.query.accountId);
      authorize(request, 'contacts.manage', accountOrNull(accountId), 'account');
      const body = request.body;
      if (typeof body === 'string') {
        if (request.headers['content-type']?.toLowerCase().startsWith('text/csv') !== true) {
          throw new AppError('BAD_REQUEST', 'body must be JSON, or CSV sent as text/csv', { details: { field: 'body' } });
        }
        const country = countryOf(request.query.defaultCountry, 'querystring/defaultCountry');
        return importContacts(adminContext(request, admin), accountId, parseContactsCsv(body), 'body', country);
      }
      const country = countryOf(body.defaultCountry ?? request.query.defaultCountry, 'body/defaultCountry');
      return importContacts(adminContext(request, admin), accountId, body.contacts, 'body/contacts', country);
    },
  );

  app.get(
    '/contacts/:contactId',
    {
      schema: { summary: 'Read a contact', tags: ['contacts'], operationId: 'getContact', params: ContactParams, response: { 200: ContactSchema, ...commandErrorResponses } },
    },
    async (request) => authorizedContact(request, request.params.contactId, 'contacts.read'),
  );

  app.patch(
    '/contacts/:contactId',
    {
      schema: {
        summary: "Change a contact's number, name or company",
        tags: ['contacts'],
        operationId: 'updateContact',
        params: ContactParams,
        body: ContactPatchBody,
        response: { 200: ContactSchema, ...commandErrorResponses },
      },
    },
    async (request) => {
      const contact = authorizedContact(request, request.params.contactId, 'contacts.manage');
      const { defaultCountry, ...patch } = request.body;
      return updateContact(adminContext(request, admin), contact, patch, countryOf(defaultCountry, 'body/defaultCountry'));
    },
  );

  app.delete(
    '/contacts/:contactId',
    {
      schema: { summary: 'Delete a contact', tags: ['contacts'], operationId: 'deleteContact', params: ContactParams, response: { 204: NoContent, ...commandErrorResponses } },
    },
    async (request, reply) => {
      deleteContact(adminContext(request, admin), authorizedContact(request, request.params.contactId, 'contacts.manage'));
      return reply.code(204).send(null);
    },
  );
};
