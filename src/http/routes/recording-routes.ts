import { createReadStream } from 'node:fs';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RecordingLibrary } from '../../flows/recordings/recording-library.ts';
import { isAppError } from '../../lib/errors.ts';
import { principalOf } from '../principal-hook.ts';
import { parseByteRange } from '../byte-range.ts';
import { authErrorResponses, ErrorBody } from '../schemas/error-schema.ts';
import { RecordingListQuery, RecordingPageSchema, RecordingParams, RecordingSchema } from '../schemas/recording-schemas.ts';

/** Options of {@link recordingRoutes}. */
export interface RecordingRoutesOptions {
  readonly recordings: RecordingLibrary;
}

const ACCESS =
  'The room\'s host lists, downloads and deletes; account admins list and delete but may not download (403 RECORDING_DOWNLOAD_FORBIDDEN); delegates and other accounts never see recordings (404).';

/** `/recordings`: list, describe, download (with HTTP Range) and delete recordings. */
export const recordingRoutes: FastifyPluginAsyncTypebox<RecordingRoutesOptions> = async (app, options) => {
  const { recordings } = options;

  app.get(
    '/recordings',
    {
      schema: {
        summary: 'List recordings, newest first',
        description: `${ACCESS} Recordings more than 60 days after their conference are listed with \`expired: true\`.`,
        tags: ['recordings'],
        operationId: 'listRecordings',
        querystring: RecordingListQuery,
        response: { 200: RecordingPageSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = recordings.list(principalOf(request), {
        limit: q.limit,
        ...(q.roomId === undefined ? {} : { roomId: q.roomId }),
        ...(q.from === undefined ? {} : { from: new Date(q.from) }),
        ...(q.to === undefined ? {} : { to: new Date(q.to) }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
      return { items: [...page.items], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/recordings/:recordingId',
    {
      schema: {
        summary: 'One recording',
        description: ACCESS,
        tags: ['recordings'],
        operationId: 'getRecording',
        params: RecordingParams,
        response: { 200: RecordingSchema, ...authErrorResponses },
      },
    },
    async (request) => recordings.get(principalOf(request), request.params.recordingId),
  );

  app.get(
    '/recordings/:recordingId/audio',
    {
      schema: {
        summary: 'Download a recording (WAV; supports HTTP Range)',
        description: `${ACCESS} 410 RECORDING_EXPIRED more than 60 days after the conference; 409 RECORDING_IN_PROGRESS while it is being made.`,
        tags: ['recordings'],
        operationId: 'getRecordingAudio',
        params: RecordingParams,
        response: {
          200: { description: 'The WAV file.', content: { 'audio/wav': { schema: Type.String({ format: 'binary' }) } } },
          206: { description: 'The requested range.', content: { 'audio/wav': { schema: Type.String({ format: 'binary' }) } } },
          ...authErrorResponses,
          403: ErrorBody,
          409: ErrorBody,
          410: ErrorBody,
          416: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const audio = recordings.audio(principalOf(request), request.params.recordingId);
      let range;
      try {
        range = parseByteRange(request.headers.range, audio.sizeBytes);
      } catch (err) {
        if (isAppError(err, 'RANGE_NOT_SATISFIABLE')) reply.header('content-range', `bytes */${String(audio.sizeBytes)}`);
        throw err;
      }
      reply
        .header('content-type', 'audio/wav')
        .header('accept-ranges', 'bytes')
        .header('content-disposition', `attachment; filename="${audio.fileName}"`);
      if (range === null) {
        reply.header('content-length', String(audio.sizeBytes));
        return reply.code(200).send(createReadStream(audio.path));
      }
      reply
        .header('content-range', `bytes ${String(range.start)}-${String(range.end)}/${String(audio.sizeBytes)}`)
        .header('content-length', String(range.end - range.start + 1));
      return reply.code(206).send(createReadStream(audio.path, { start: range.start, end: range.end }));
    },
  );

  app.delete(
    '/recordings/:recordingId',
    {
      schema: {
        summary: 'Delete a recording (file and metadata; audited)',
        description: `${ACCESS} 409 RECORDING_IN_PROGRESS while it is being made.`,
        tags: ['recordings'],
        operationId: 'deleteRecording',
        params: RecordingParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...authErrorResponses, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      await recordings.remove(principalOf(request), request.params.recordingId);
      return reply.code(204).send(null);
    },
  );
};
