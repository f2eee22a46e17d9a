import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Administration } from '../../admin/administration.ts';
import type { LiveStatusSource } from '../../domain/live-view.ts';
import type { HostCommands } from '../../flows/host-commands.ts';
import type { RoomDialOut } from '../../flows/dial-out/dial-out-service.ts';
import { dialRoutes } from './dial.ts';
import { dialPolicyRoutes } from './dial-policy.ts';
import { callRoutes } from './calls.ts';
import type { ClickToCall } from '../../flows/click-to-call/click-to-call.ts';
import type { TrunkHealth } from '../../domain/trunk.ts';
import { ConferenceHistory } from '../../flows/history/conference-history.ts';
import type { RecordingLibrary } from '../../flows/recordings/recording-library.ts';
import { apiGuard, type ApiLimits } from '../api-guard.ts';
import { requireCaller } from '../principal-hook.ts';
import type { SseStream } from '../sse/sse-stream.ts';
import type { StreamGuard } from '../stream-guard.ts';
import { accountRoutes } from './account-routes.ts';
import { apiKeyRoutes } from './api-key-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { billingCodeRoutes } from './billing-code-routes.ts';
import { conferenceRoutes } from './conference-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { dataRequestRoutes } from './data-request-routes.ts';
import { invoiceRoutes } from './invoice-routes.ts';
import { delegationRoutes } from './delegation-routes.ts';
import { guestLinkRoutes } from './guest-link-routes.ts';
import { guestRoutes } from './guest-routes.ts';
import { legCommandRoutes } from './leg-command-routes.ts';
import { liveEventsRoute } from './live-events-route.ts';
import { liveRoutes } from './live-routes.ts';
import { pinLockoutRoutes } from './pin-lockout-routes.ts';
import { recordingCommandRoutes } from './recording-command-routes.ts';
import { recordingRoutes } from './recording-routes.ts';
import { roomCommandRoutes } from './room-command-routes.ts';
import { roomPermissionsRoute } from './room-permissions-route.ts';
import { roomRoutes } from './room-routes.ts';
import { serviceNumberRoutes } from './service-number-routes.ts';
import { sessionRoutes } from './session-status-routes.ts';
import { trunkRoutes } from './trunks.ts';
import { signInRoute } from './session-routes.ts';
import { spokenNameRoute } from './spoken-name-route.ts';
import { userRoutes } from './user-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';
import type { WebhookControl } from '../../notify/webhooks/webhook-service.ts';

/** Options of {@link v1Routes}. */
export interface V1RoutesOptions {
  readonly admin: Administration;
  readonly live: LiveStatusSource;
  readonly commands: HostCommands;
  readonly dialOut: RoomDialOut | undefined;
  readonly calls: ClickToCall | undefined;
  readonly trunkHealth: (() => TrunkHealth[]) | undefined;
  readonly recordings: RecordingLibrary | undefined;
  /** Webhooks; without it the `/v1/webhooks` routes are absent. */
  readonly webhooks: WebhookControl | undefined;
  readonly openStreams: Set<SseStream>;
  readonly keepAliveMs: number;
  readonly guard: StreamGuard;
  readonly sessionHours: number;
  readonly loginAttemptsPerMinute: number;
  /** API rate limits; none when absent (tests of the routes). */
  readonly limits: ApiLimits | undefined;
}

/**
 * Every `/v1` route. Signing in is public; everything else is behind the principal hook,
 * registered as one encapsulated plugin so the hook covers exactly those routes. After every
 * change made through the API, open event streams are checked again (a revoked key ends its
 * stream at once).
 */
export const v1Routes: FastifyPluginAsyncTypebox<V1RoutesOptions> = async (app, options) => {
  const { admin, live, commands, recordings, openStreams, keepAliveMs, guard } = options;
  // Before anything looks at a credential: floods and key guessing are answered 429 here.
  if (options.limits !== undefined) await apiGuard(app, options.limits);
  app.addHook('onSend', async (_request, reply) => {
    // Live status names people and numbers: no shared cache may keep it.
    reply.header('cache-control', 'no-store');
  });
  await app.register(signInRoute, { admin, sessionHours: options.sessionHours, attemptsPerMinute: options.loginAttemptsPerMinute });
  await app.register(guestRoutes, { admin, live, openStreams, keepAliveMs, guard });
  await app.register(async (authenticated) => {
    requireCaller(authenticated, admin);
    authenticated.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && reply.statusCode < 400) guard.recheck();
    });
    await authenticated.register(sessionRoutes, { admin });
    await authenticated.register(accountRoutes, { admin });
    await authenticated.register(serviceNumberRoutes, { admin });
    await authenticated.register(trunkRoutes, { admin, trunkHealth: options.trunkHealth });
    await authenticated.register(userRoutes, { admin });
    await authenticated.register(delegationRoutes, { admin });
    await authenticated.register(apiKeyRoutes, { admin });
    await authenticated.register(auditRoutes, { admin });
    await authenticated.register(contactRoutes, { admin });
    await authenticated.register(billingCodeRoutes, { admin });
    await authenticated.register(invoiceRoutes, { admin });
    await authenticated.register(dataRequestRoutes, { admin });
    await authenticated.register(spokenNameRoute, { admin });
    await authenticated.register(conferenceRoutes, { history: new ConferenceHistory(admin.store, admin.now) });
    await authenticated.register(roomRoutes, { admin });
    await authenticated.register(roomPermissionsRoute, { admin });
    await authenticated.register(pinLockoutRoutes, { admin });
    await authenticated.register(guestLinkRoutes, { admin });
    await authenticated.register(liveRoutes, { admin, live });
    await authenticated.register(liveEventsRoute, { admin, live, openStreams, keepAliveMs, guard });
    await authenticated.register(legCommandRoutes, { admin, commands });
    await authenticated.register(roomCommandRoutes, { admin, commands });
    await authenticated.register(dialRoutes, { admin, dialOut: options.dialOut });
    await authenticated.register(dialPolicyRoutes, { admin });
    await authenticated.register(callRoutes, { admin, calls: options.calls });
    await authenticated.register(recordingCommandRoutes, { admin, commands });
    if (recordings !== undefined) await authenticated.register(recordingRoutes, { recordings });
    if (options.webhooks !== undefined) await authenticated.register(webhookRoutes, { admin, webhooks: options.webhooks });
  });
};
