import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ConferenceHistory, HistoryQuery } from '../../flows/history/conference-history.ts';
import type { ConferenceSummary } from '../../flows/history/history-views.ts';
import { conferencesCsv, participantsCsv } from '../history-csv.ts';
import { principalOf } from '../principal-hook.ts';
import { Id, PageOf, PageQuery } from '../schemas/admin-schemas.ts';
import { ConferenceDetailSchema, ConferenceSummarySchema, HistoryFilters } from '../schemas/conference-schemas.ts';
import { commandErrorResponses } from '../schemas/error-schema.ts';

/** Options of {@link conferenceRoutes}. */
export interface ConferenceRoutesOptions {
  readonly history: ConferenceHistory;
}

/** The most conferences one CSV export holds. */
const CSV_MAX_ROWS = 10_000;
const Params = Type.Object({ conferenceId: Id });
const CsvText = Type.String({ description: 'CSV (RFC 4180) with a header row.' });

function filtersOf(q: { roomId?: string | undefined; hostUserId?: string | undefined; from?: string | undefined; to?: string | undefined }): HistoryQuery {
  return { roomId: q.roomId, hostUserId: q.hostUserId, from: q.from === undefined ? undefined : new Date(q.from), to: q.to === undefined ? undefined : new Date(q.to) };
}

/**
 * `/conferences`: the call history (`room.history`: admins, the room's host, their
 * delegates) — the meetings, each one's participants by name (numbers masked), talk time,
 * recordings for those who may list them, billing code and timeline; CSV exports of the same.
 */
export const conferenceRoutes: FastifyPluginAsyncTypebox<ConferenceRoutesOptions> = async (app, { history }) => {
  app.get(
    '/conferences',
    {
      schema: {
        summary: 'List past and running conferences',
        description: 'Newest first; filter by room, host (room owner) and start time.',
        tags: ['history'],
        operationId: 'listConferences',
        querystring: Type.Object({ ...PageQuery.properties, ...HistoryFilters }, { additionalProperties: false }),
        response: { 200: PageOf(ConferenceSummarySchema), ...commandErrorResponses },
      },
    },
    async (request) => history.list(principalOf(request), filtersOf(request.query), { limit: request.query.limit ?? 50, cursor: request.query.cursor }),
  );

  app.get(
    '/conferences.csv',
    {
      schema: {
        summary: 'Export the conference list as CSV',
        description: `The same filters as the list; at most ${CSV_MAX_ROWS} conferences, newest first.`,
        tags: ['history'],
        operationId: 'exportConferences',
        querystring: Type.Object(HistoryFilters, { additionalProperties: false }),
        response: { 200: CsvText, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const items: ConferenceSummary[] = [];
      let cursor: string | undefined;
      // Bounded: at most CSV_MAX_ROWS / 200 pages.
      for (let pages = 0; pages < CSV_MAX_ROWS / 200; pages += 1) {
        const page = history.list(principalOf(request), filtersOf(request.query), { limit: 200, cursor });
        items.push(...page.items);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="conferences.csv"').send(conferencesCsv(items));
    },
  );

  app.get(
    '/conferences/:conferenceId',
    {
      schema: {
        summary: "A conference's whole record",
        description: 'Participants (one row per stay, rejoins listed, withheld numbers null), talk time, recordings (null for delegates), billing code and the leg-events timeline with who caused each change.',
        tags: ['history'],
        operationId: 'getConference',
        params: Params,
        response: { 200: ConferenceDetailSchema, ...commandErrorResponses },
      },
    },
    async (request) => history.get(principalOf(request), request.params.conferenceId),
  );

  app.get(
    '/conferences/:conferenceId/participants.csv',
    {
      schema: {
        summary: "Export a conference's participants as CSV",
        tags: ['history'],
        operationId: 'exportConferenceParticipants',
        params: Params,
        response: { 200: CsvText, ...commandErrorResponses },
      },
    },
    async (request, reply) => {
      const detail = history.get(principalOf(request), request.params.conferenceId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="conference-${detail.id}.csv"`)
        .send(participantsCsv(detail));
    },
  );
};
