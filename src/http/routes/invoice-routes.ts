import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import type { Administration } from '../../admin/administration.ts';
import { accountTarget } from '../../admin/targets.ts';
import { invoiceLine, monthRange, type InvoiceLine } from '../../domain/invoice.ts';
import { AppError } from '../../lib/errors.ts';
import { accountFor } from '../account-scope.ts';
import { authorize } from '../authorize.ts';
import { csvText } from '../csv-text.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link invoiceRoutes}. */
export interface InvoiceRoutesOptions {
  readonly admin: Administration;
}

const InvoiceLineSchema = Type.Object({
  conferenceId: Type.String(),
  date: Type.String({ description: 'The day it started (UTC), YYYY-MM-DD.' }),
  startedAt: Type.String({ format: 'date-time' }),
  roomId: Type.String(),
  roomName: Type.String(),
  hostUserId: Type.String(),
  hostName: Type.String(),
  billingCode: Type.Union([Type.String(), Type.Null()]),
  legs: Type.Integer(),
  minutesIn: Type.Integer({ description: 'Dial-in minutes, each leg rounded up to a whole minute.' }),
  minutesOut: Type.Integer({ description: 'Dial-out minutes, each leg rounded up.' }),
  minutes: Type.Integer(),
});
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'The month, YYYY-MM (UTC).' });
/** A month of lines in CSV: bounded by pages of 500. */
const CSV_MAX_PAGES = 200;

function rangeOf(month: string): { from: Date; to: Date } {
  const range = monthRange(month);
  if (range === null) throw new AppError('BAD_REQUEST', 'querystring/month must be YYYY-MM', { details: { field: 'month' } });
  return range;
}

/**
 * `/invoice-lines`: an account's billing per month, one line per ended conference: date,
 * room, host, billing code, legs and minutes (each leg rounded up, dial-in and dial-out
 * apart). Admins of the account and the operator (`invoice.read`).
 */
export const invoiceRoutes: FastifyPluginAsyncTypebox<InvoiceRoutesOptions> = async (app, { admin }) => {
  const accountOf = (request: FastifyRequest, named: string | undefined): string => {
    const accountId = accountFor(request, named);
    authorize(request, 'invoice.read', admin.store.accounts.get(accountId) === null ? null : accountTarget(accountId), 'account');
    return accountId;
  };

  app.get(
    '/invoice-lines',
    {
      schema: {
        summary: "A month's invoice lines",
        tags: ['billing'],
        operationId: 'listInvoiceLines',
        querystring: Type.Object({ ...PageQuery.properties, month: Month, accountId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: PageOf(InvoiceLineSchema), ...commandErrorResponses },
      },
    },
    async (request) => {
      const accountId = accountOf(request, request.query.accountId);
      const { from, to } = rangeOf(request.query.month);
      const page = admin.store.billing.conferences(accountId, from, to, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
      return { items: page.items.map(invoiceLine), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/invoice-lines.csv',
    {
      schema: {
        summary: "A month's invoice lines as CSV",
        tags: ['billing'],
        operationId: 'exportInvoiceLines',
        querystring: Type.Object({ month: Month, accountId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.String({ description: 'CSV with a header row.' }), ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const accountId = accountOf(request, request.query.accountId);
      const { from, to } = rangeOf(request.query.month);
      const lines: InvoiceLine[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < CSV_MAX_PAGES; pages += 1) {
        const page = admin.store.billing.conferences(accountId, from, to, { limit: 500, cursor });
        lines.push(...page.items.map(invoiceLine));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      const csv = stringify(
        lines.map((l) => [l.date, l.conferenceId, csvText(l.roomName), csvText(l.hostName), csvText(l.billingCode), l.legs, l.minutesIn, l.minutesOut, l.minutes]),
        { header: true, columns: ['date', 'conference_id', 'room', 'host', 'billing_code', 'legs', 'minutes_in', 'minutes_out', 'minutes'] },
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="invoice-${request.query.month}.csv"`)
        .send(csv);
    },
  );
};
