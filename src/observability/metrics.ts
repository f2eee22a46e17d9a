import { monitorEventLoopDelay } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AdmissionReason } from '../flows/call-admission.ts';
import type { GuardKind } from '../ports/engine.ts';
import { DIAL_OUT_OUTCOMES, type AdmissionOutcome, type CallMetrics, type DialOutOutcome, type IvrOutcome, type RejectReason } from '../flows/call-metrics.ts';
import type { RuntimeStats } from '../flows/conference-runtime.ts';
import { RETENTION_DELETION_KINDS, type RetentionDeletionKind } from '../domain/retention.ts';
import type { EngineTelemetry } from '../ports/engine-telemetry.ts';
import { registerEngineMetrics } from './engine-metrics.ts';

/** What the metrics read at scrape time. */
export interface MetricSources {
  readonly runtime?: () => RuntimeStats;
  /** Pending webhook deliveries (the outbox depth). */
  readonly outboxDepth?: () => number;
  /** Webhook attempts in flight. */
  readonly webhookInFlight?: () => number;
  /** The engine's SIP, RTP and mixer counters. */
  readonly engine?: () => EngineTelemetry | undefined;
}

/** A webhook attempt's outcome, as counted. */
export type WebhookOutcome = 'delivered' | 'retry' | 'failed';

const LEG_STATES = ['offered', 'in-ivr', 'waiting-for-host', 'joined', 'held'] as const;

/**
 * The server's Prometheus metrics (prom-client), one registry per server so that tests can
 * run several in one process. Every label is a small fixed set — reasons, outcomes, states,
 * route templates, status codes — never a number, a name, an id or an address. Gauges of
 * what runs now are read when scraped.
 */
export class Metrics implements CallMetrics {
  readonly registry = new Registry();
  readonly #offered: Counter;
  readonly #answered: Counter;
  readonly #rejected: Counter<'reason'>;
  readonly #admission: Counter<'reason' | 'outcome'>;
  readonly #guard: Counter<'kind'>;
  readonly #ivr: Counter<'outcome'>;
  readonly #pinFailures: Counter;
  readonly #lockouts: Counter<'scope'>;
  readonly #liveEvents: Counter<'type'>;
  readonly #http: Histogram<'method' | 'route' | 'status_code'>;
  readonly #webhooks: Counter<'outcome'>;
  readonly #webhookDuration: Histogram;
  readonly #retention: Counter;
  readonly #dataRetention: Counter<'kind'>;
  readonly #dialOuts: Counter<'outcome'>;
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 10 });
  #sources: MetricSources = {};

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.#offered = new Counter({ name: 'dialbridge_calls_offered_total', help: 'Inbound calls offered (INVITEs for a new call).', registers });
    this.#answered = new Counter({ name: 'dialbridge_calls_answered_total', help: 'Inbound calls answered (200 OK sent).', registers });
    this.#rejected = new Counter({
      name: 'dialbridge_calls_rejected_total',
      help: 'Inbound calls not answered, by reason (unknown-number, not-a-trunk, shutting-down, cancelled, no-ack, answer-failed).',
      labelNames: ['reason'],
      registers,
    });
    this.#admission = new Counter({
      name: 'dialbridge_calls_admission_total',
      help: 'New calls turned away by admission control before any answer, by reason (scanner, banned, source-rate, number-walk, draining, global-rate, call-cap, saturated) and outcome (refused: 503 with Retry-After; dropped: no answer).',
      labelNames: ['reason', 'outcome'],
      registers,
    });
    this.#guard = new Counter({
      name: 'dialbridge_sip_media_guard_total',
      help: 'SIP and media input refused by the engine, by kind (tcp-source-cap, tcp-total-cap, tcp-framing-error, tcp-header-timeout, tcp-idle-timeout, dtmf-spoofed).',
      labelNames: ['kind'],
      registers,
    });
    this.#ivr = new Counter({
      name: 'dialbridge_join_ivr_outcomes_total',
      help: 'How answered calls left the join IVR: joined, pin-invalid, locked-out, room-locked, room-full, abandoned, unavailable, shutdown, error.',
      labelNames: ['outcome'],
      registers,
    });
    this.#pinFailures = new Counter({ name: 'dialbridge_pin_failures_total', help: 'Wrong PINs entered.', registers });
    this.#lockouts = new Counter({ name: 'dialbridge_pin_lockouts_total', help: 'Callers turned away by a PIN lockout, by scope (caller number, source address, or room/service number).', labelNames: ['scope'], registers });
    this.#liveEvents = new Counter({ name: 'dialbridge_live_events_total', help: 'Live events published, by type (leg.joined, leg.talking, …).', labelNames: ['type'], registers });
    this.#http = new Histogram({
      name: 'dialbridge_http_request_duration_seconds',
      help: 'HTTP request durations by method, route template and status code (event streams are not timed).',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#webhooks = new Counter({
      name: 'dialbridge_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered, retry (failed, will be retried), failed (given up).',
      labelNames: ['outcome'],
      registers,
    });
    this.#webhookDuration = new Histogram({
      name: 'dialbridge_webhook_attempt_duration_seconds',
      help: 'How long webhook attempts took (until an answer, a failure or the timeout).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#retention = new Counter({ name: 'dialbridge_recording_retention_deletions_total', help: 'Recordings deleted by the retention job (90 days after their conference).', registers });
    this.#dialOuts = new Counter({
      name: 'dialbridge_dial_outs_total',
      help: `Dial-out attempts (room and click-to-call) by how they ended (${DIAL_OUT_OUTCOMES.join(', ')}); declined: answered but the guest never pressed 1; refused: by the dial policy, before any SIP.`,
      labelNames: ['outcome'],
      registers,
    });
    this.#dataRetention = new Counter({
      name: 'dialbridge_data_retention_deletions_total',
      help: `Records deleted by the data-retention job (the account's months, PIN attempts after the lockout), by kind (${RETENTION_DELETION_KINDS.join(', ')}).`,
      labelNames: ['kind'],
      registers,
    });

    // Every known series starts at zero, so a dashboard shows 0 rather than nothing before the first event.
    for (const reason of ['unknown-number', 'not-a-trunk', 'shutting-down', 'cancelled', 'no-ack', 'answer-failed'] as const) this.#rejected.inc({ reason }, 0);
    for (const outcome of ['joined', 'pin-invalid', 'locked-out', 'room-locked', 'room-full', 'abandoned', 'unavailable', 'shutdown', 'error'] as const) this.#ivr.inc({ outcome }, 0);
    for (const scope of ['caller', 'source', 'room'] as const) this.#lockouts.inc({ scope }, 0);
    for (const outcome of ['delivered', 'retry', 'failed'] as const) this.#webhooks.inc({ outcome }, 0);
    for (const kind of RETENTION_DELETION_KINDS) this.#dataRetention.inc({ kind }, 0);
    for (const outcome of DIAL_OUT_OUTCOMES) this.#dialOuts.inc({ outcome }, 0);

    const self = (): MetricSources => this.#sources;
    new Gauge({
      name: 'dialbridge_active_legs',
      help: 'Calls on the server now, by leg state.',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = self().runtime?.();
        for (const state of LEG_STATES) this.set({ state }, stats?.legs[state] ?? 0);
      },
    });
    new Gauge({
      name: 'dialbridge_active_rooms',
      help: 'Rooms with a running conference now.',
      registers,
      collect() {
        this.set(self().runtime?.().conferences ?? 0);
      },
    });
    new Gauge({
      name: 'dialbridge_live_subscribers',
      help: 'Open live event streams.',
      registers,
      collect() {
        this.set(self().runtime?.().subscribers ?? 0);
      },
    });
    new Gauge({
      name: 'dialbridge_webhook_outbox_depth',
      help: 'Webhook deliveries waiting (first attempt or retry).',
      registers,
      collect() {
        this.set(self().outboxDepth?.() ?? 0);
      },
    });
    new Gauge({
      name: 'dialbridge_webhook_in_flight',
      help: 'Webhook attempts in flight now.',
      registers,
      collect() {
        this.set(self().webhookInFlight?.() ?? 0);
      },
    });
    registerEngineMetrics(this.registry, () => self().engine?.());
    const loop = this.#loopDelay;
    loop.enable();
    new Gauge({
      name: 'dialbridge_event_loop_lag_p99_seconds',
      help: 'The 99th percentile of event-loop delay since the previous scrape (calls share this loop with the mixer).',
      registers,
      collect() {
        this.set(loop.count > 0 ? loop.percentile(99) / 1e9 : 0);
        loop.reset();
      },
    });
  }

  /** Where the scrape-time gauges read from. */
  setSources(sources: MetricSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  callOffered(): void {
    this.#offered.inc();
  }

  callAnswered(): void {
    this.#answered.inc();
  }

  callRejected(reason: RejectReason): void {
    this.#rejected.inc({ reason });
  }

  callAdmission(reason: AdmissionReason, outcome: AdmissionOutcome): void {
    this.#admission.inc({ reason, outcome });
  }

  /** The engine refused some SIP or media input (a fixed set of kinds). */
  guard(kind: GuardKind): void {
    this.#guard.inc({ kind });
  }

  ivrOutcome(outcome: IvrOutcome): void {
    this.#ivr.inc({ outcome });
  }

  pinFailure(): void {
    this.#pinFailures.inc();
  }

  pinLockout(scope: 'caller' | 'source' | 'room'): void {
    this.#lockouts.inc({ scope });
  }

  dialOut(outcome: DialOutOutcome): void {
    this.#dialOuts.inc({ outcome });
  }

  /** A live event was published. */
  liveEvent(type: string): void {
    this.#liveEvents.inc({ type });
  }

  /** An HTTP request finished; `route` is its template (`/v1/rooms/:roomId`), or `unmatched`. */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** A webhook attempt finished. */
  webhookAttempt(outcome: WebhookOutcome, durationMs: number): void {
    this.#webhooks.inc({ outcome });
    this.#webhookDuration.observe(durationMs / 1000);
  }

  /** The retention job deleted `count` recordings. */
  retentionDeleted(count: number): void {
    if (count > 0) this.#retention.inc(count);
  }

  /** The data-retention job deleted `count` records of `kind`. */
  dataRetentionDeleted(kind: RetentionDeletionKind, count: number): void {
    if (count > 0) this.#dataRetention.inc({ kind }, count);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops the event-loop monitor. */
  close(): void {
    this.#loopDelay.disable();
  }
}
