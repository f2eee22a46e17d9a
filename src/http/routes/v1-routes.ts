import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessDirectory } from '../../domain/access.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import type { HostCommands } from '../../flows/host-commands.ts';
import type { RecordingLibrary } from '../../flows/recordings/recording-library.ts';
import { requireApiKey } from '../auth.ts';
import type { SseStream } from '../sse/sse-stream.ts';
import { legCommandRoutes } from './leg-command-routes.ts';
import { liveEventsRoute } from './live-events-route.ts';
import { liveRoutes } from './live-routes.ts';
import { recordingCommandRoutes } from './recording-command-routes.ts';
import { recordingRoutes } from './recording-routes.ts';
import { roomCommandRoutes } from './room-command-routes.ts';
import { roomRoutes } from './room-routes.ts';

/** Options of {@link v1Routes}. */
export interface V1RoutesOptions {
  readonly access: AccessDirectory;
  readonly live: LiveStatusSource;
  readonly commands: HostCommands;
  readonly recordings: RecordingLibrary | undefined;
  readonly openStreams: Set<SseStream>;
  readonly keepAliveMs: number;
}

/**
 * Every `/v1` route, behind the API-key hook. Registered as one encapsulated plugin so the
 * hook covers exactly these routes and nothing outside them (health, docs).
 */
export const v1Routes: FastifyPluginAsyncTypebox<V1RoutesOptions> = async (app, options) => {
  const { access, live, commands, recordings, openStreams, keepAliveMs } = options;
  requireApiKey(app, access);
  app.addHook('onSend', async (_request, reply) => {
    // Live status names people and numbers: no shared cache may keep it.
    reply.header('cache-control', 'no-store');
  });
  await app.register(roomRoutes, { access });
  await app.register(liveRoutes, { access, live });
  await app.register(liveEventsRoute, { access, live, openStreams, keepAliveMs });
  await app.register(legCommandRoutes, { access, commands });
  await app.register(roomCommandRoutes, { access, commands });
  await app.register(recordingCommandRoutes, { access, commands });
  if (recordings !== undefined) await app.register(recordingRoutes, { recordings });
};
