import { randomBytes } from 'node:crypto';
import Srf, { type SrfApi, type SrfRequest, type SrfResponse } from 'drachtio-srf';
import { AppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { Bridge } from '../../ports/bridge.ts';
import type { DialOptions, EngineEvents, MediaEngine } from '../../ports/engine.ts';
import type { EngineTelemetry } from '../../ports/engine-telemetry.ts';
import type { Leg } from '../../ports/leg.ts';
import { IdleCpuPoller } from '../telemetry/idle-cpu-poller.ts';
import { extractCallFacts } from './call-facts.ts';
import { token, jsonListCommand } from './commands.ts';
import type { ConferenceEvent } from './conference-events.ts';
import { guardDialogRace } from './dialog-race-guard.ts';
import { parseDrachtioHostport } from './drachtio-hostport.ts';
import { stopDrachtio } from './drachtio-shutdown.ts';
import type { FreeswitchEngineOptions } from './freeswitch-engine-options.ts';
import { FsBridge } from './fs-bridge.ts';
import { dialOut } from './fs-dialer.ts';
import type { FsLeg } from './fs-leg.ts';
import { FsOfferedCall } from './fs-offered-call.ts';
import { FsTelemetry } from './fs-telemetry.ts';
import { idleShareFromStatus } from './idle-cpu.ts';
import type { EngineContext } from './leg-context.ts';
import { MediaLink } from './media-link.ts';
import { assertSecretsAllowed } from './options-from-env.ts';

const DEFAULTS = {
  sipProfile: 'drachtio_mrf',
  conferenceProfile: 'dialbridge',
  holdMusic: 'local_stream://moh',
  operationTimeoutMs: 5000,
  retryMaxDelayMs: 10_000,
} as const;

type EngineState = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/**
 * The FreeSWITCH conference name of a bridge: the product's name made safe for the
 * `conference` application's `name@profile+pin+flags{…}` syntax, plus this engine instance
 * and a sequence number, so that names never collide on a shared FreeSWITCH.
 */
export function conferenceName(name: string, instance: string, seq: number): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'room';
  return `${safe}.${instance}.${String(seq)}`;
}

/**
 * The media engine over drachtio-server (SIP) and FreeSWITCH (media): drachtio-srf for
 * signalling, drachtio-fsmrf for endpoints, modesl for control and conference events.
 *
 * Availability is true while both drachtio and FreeSWITCH are connected; losing either emits
 * `availability(false)`, new INVITEs get 503, and reconnects run with a capped backoff. After
 * FreeSWITCH comes back, rooms are rebuilt from `conference <name> json_list`.
 */
export class FreeswitchEngine implements MediaEngine {
  readonly name = 'freeswitch' as const;
  readonly events = new TypedEmitter<EngineEvents>();
  readonly #options: FreeswitchEngineOptions;
  readonly #ctx: EngineContext;
  readonly #legs = new Set<FsLeg>();
  readonly #bridges = new Map<string, FsBridge>();
  #srf: SrfApi | undefined;
  #link: MediaLink | undefined;
  #state: EngineState = 'new';
  #drachtioUp = false;
  #available = false;
  #sipAddress: { host: string; port: number } | undefined;
  /** Makes this process's conference names unique on a FreeSWITCH shared with others. */
  readonly #instance = randomBytes(3).toString('hex');
  #bridgeSeq = 0;
  /** SIP seen on drachtio's wire and RTP of ended channels, for metrics. */
  readonly #telemetry = new FsTelemetry();
  /** FreeSWITCH's idle CPU from its `status`, asked once a second once admission first asks. */
  #idle: IdleCpuPoller | undefined;
  #releaseDialogGuard: (() => void) | undefined;

  constructor(options: FreeswitchEngineOptions) {
    assertSecretsAllowed(options);
    this.#options = options;
    const logger = options.logger;
    this.#ctx = {
      api: (command) => this.#api(command),
      logger,
      operationTimeoutMs: options.operationTimeoutMs ?? DEFAULTS.operationTimeoutMs,
      conferenceProfile: token(options.conferenceProfile ?? DEFAULTS.conferenceProfile, 'the conference profile'),
      holdMusic: token(options.holdMusic ?? DEFAULTS.holdMusic, 'the hold music'),
      inbandDtmf: options.inbandDtmf === true,
    };
    this.events.onListenerError = (err, event) => logger?.error({ err, event }, 'engine listener failed');
  }

  get available(): boolean {
    return this.#available;
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  get sipAddress(): { readonly host: string; readonly port: number } | undefined {
    return this.#sipAddress;
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new AppError('INVALID_TRANSITION', 'the engine was already started');
    this.#state = 'starting';
    const { drachtio, logger } = this.#options;
    const timeout = this.#ctx.operationTimeoutMs;
    const srf = new Srf();
    this.#srf = srf;
    this.#releaseDialogGuard = guardDialogRace(logger);
    // An unhandled socket error would kill the process (FIELD-NOTES).
    srf.on('error', (err) => {
      logger?.warn({ err }, 'drachtio connection error');
    });
    srf.on('close', () => {
      this.#setDrachtio(false);
    });
    srf.on('reconnecting', (info) => {
      logger?.info({ info }, 'drachtio reconnecting');
    });
    const connected = new Promise<void>((resolve, reject) => {
      srf.on('connect', (err, hostport) => {
        if (err !== null) {
          logger?.warn({ err }, 'drachtio refused the connection');
          reject(new AppError('ENGINE_UNAVAILABLE', 'drachtio-server refused the connection (check DRACHTIO_ADDRESS)', { cause: err }));
          return;
        }
        const address = parseDrachtioHostport(hostport);
        if (address !== undefined) this.#sipAddress = address;
        logger?.info({ hostport }, 'drachtio connected');
        this.#setDrachtio(true);
        resolve();
      });
    });
    srf.invite((req, res) => {
      try {
        this.#onInvite(req, res);
      } catch (err) {
        logger?.error({ err }, 'INVITE handling failed');
        try {
          res.send(500);
        } catch {
          // Nothing more to do for this request.
        }
      }
    });
    // connect() returns the app, not a promise (drachtio-srf's typings say otherwise).
    srf.connect({
      host: drachtio.host,
      port: drachtio.port,
      secret: drachtio.secret,
      reconnect: { retryMaxDelay: this.#options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs },
    });
    this.#telemetry.attach(srf);
    const link = new MediaLink(srf, {
      esl: this.#options.esl,
      listen: this.#options.mediaListen ?? { host: '127.0.0.1', port: 0 },
      sipProfile: this.#options.sipProfile ?? DEFAULTS.sipProfile,
      operationTimeoutMs: timeout,
      retryMaxDelayMs: this.#options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs,
      logger,
    });
    this.#link = link;
    link.events.on('up', () => {
      this.#telemetry.mediaServer = link.profileAddress;
      this.#updateAvailability();
      void this.#rebuildRooms();
    });
    link.events.on('down', () => {
      this.#updateAvailability();
    });
    link.events.on('conference', (event) => {
      this.#onConferenceEvent(event);
    });
    link.events.on('channel-ended', (uuid, header) => {
      this.#telemetry.channelEnded(uuid, header);
    });
    try {
      await withTimeout(connected, timeout * 2, 'drachtio connect');
    } catch (err) {
      this.destroy();
      throw err instanceof AppError && err.code !== 'OPERATION_TIMEOUT'
        ? err
        : new AppError('ENGINE_UNAVAILABLE', 'drachtio-server did not connect (check DRACHTIO_ADDRESS)', { cause: err });
    }
    try {
      await link.start();
    } catch (err) {
      if (err instanceof AppError && err.code === 'CONFIG_INVALID') {
        this.destroy();
        throw err;
      }
      // FreeSWITCH may simply not be up yet (compose starts everything at once): run
      // unavailable — calls get 503 — and keep reconnecting.
      logger?.warn({ err }, 'FreeSWITCH not reachable at start; retrying');
      link.retryLater();
    }
    this.#state = 'running';
    this.#updateAvailability();
  }

  async dial(options: DialOptions): Promise<Leg> {
    const { srf, link } = this.#running();
    if (!this.#available) throw new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH or drachtio is not connected');
    const leg = await dialOut(srf, link, this.#ctx, options);
    this.#track(leg);
    return leg;
  }

   
  async createBridge(name: string): Promise<Bridge> {
    this.#running();
    const bridge = new FsBridge(conferenceName(name, this.#instance, ++this.#bridgeSeq), this.#ctx, (b) => {
      if (this.#bridges.get(b.id) === b) this.#bridges.delete(b.id);
    });
    this.#bridges.set(bridge.id, bridge);
    return bridge;
  }

  /** SIP with callers (by method and status class) and the RTP of channels that ended; the rest is FreeSWITCH's own. */
  telemetry(): EngineTelemetry {
    return this.#telemetry.snapshot();
  }

  /** FreeSWITCH's idle CPU (its `status`), or undefined while it is not connected. */
  mediaHostIdle(): number | undefined {
    if (this.#state !== 'running') return undefined;
    if (this.#idle === undefined) {
      this.#idle = new IdleCpuPoller(async () => (this.#available ? idleShareFromStatus(await this.#api('status')) : undefined));
      this.#idle.start();
    }
    return this.#idle.idle;
  }

  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    const timeout = this.#ctx.operationTimeoutMs;
    await Promise.allSettled([...this.#bridges.values()].map((b) => withTimeout(b.close('shutdown'), timeout * 2, 'close bridge')));
    await Promise.allSettled([...this.#legs].map((l) => withTimeout(l.hangup('shutdown'), timeout * 2, 'hang up')));
    this.#shutdown('closed');
  }

  destroy(err?: Error): void {
    if (this.#state === 'closed') return;
    if (err !== undefined) this.#options.logger?.error({ err }, 'freeswitch engine destroyed');
    for (const bridge of [...this.#bridges.values()]) bridge.destroy('destroyed');
    for (const leg of [...this.#legs]) leg.destroy();
    this.#shutdown(err === undefined ? 'destroyed' : 'fault');
  }

  #shutdown(reason: string): void {
    this.#idle?.stop();
    this.#releaseDialogGuard?.();
    this.#link?.close();
    if (this.#srf !== undefined) stopDrachtio(this.#srf);
    this.#state = 'closed';
    this.#setAvailable(false);
    this.events.safeEmit('closed', reason);
  }

  #onInvite(req: SrfRequest, res: SrfResponse): void {
    const link = this.#link;
    const srf = this.#srf;
    if (this.#state !== 'running' || !this.#available || link === undefined || srf === undefined) {
      res.send(503, 'Service Unavailable', { headers: { 'Retry-After': '30' } });
      return;
    }
    const facts = extractCallFacts(req);
    if (this.events.listenerCount('offer') === 0) {
      res.send(480, 'Temporarily Unavailable');
      return;
    }
    const call = new FsOfferedCall(facts, srf, req, res, link, this.#ctx, (leg) => {
      this.#track(leg);
    });
    this.events.safeEmit('offer', call);
  }

  #track(leg: FsLeg): void {
    this.#legs.add(leg);
    this.#telemetry.watch(leg.uuid);
    leg.events.once('hangup', () => {
      this.#legs.delete(leg);
    });
  }

  #onConferenceEvent(event: ConferenceEvent): void {
    this.#bridges.get(event.conference)?.onConferenceEvent(event);
  }

  async #rebuildRooms(): Promise<void> {
    for (const bridge of [...this.#bridges.values()]) {
      try {
        const reply = await this.#api(jsonListCommand(bridge.id));
        bridge.reconcile(reply);
      } catch (err) {
        this.#options.logger?.warn({ err, bridgeId: bridge.id }, 'room rebuild failed');
      }
    }
  }

  #api(command: string): Promise<string> {
    const link = this.#link;
    if (link === undefined) return Promise.reject(new AppError('ENGINE_UNAVAILABLE', 'the engine is not started'));
    return link.api(command);
  }

  #running(): { srf: SrfApi; link: MediaLink } {
    if (this.#state === 'closed' || this.#state === 'closing') throw new AppError('ENGINE_CLOSED', 'the engine is closed');
    const srf = this.#srf;
    const link = this.#link;
    if (this.#state !== 'running' || srf === undefined || link === undefined) {
      throw new AppError('ENGINE_UNAVAILABLE', 'the engine is not started');
    }
    return { srf, link };
  }

  #setDrachtio(up: boolean): void {
    this.#drachtioUp = up;
    this.#updateAvailability();
  }

  #updateAvailability(): void {
    this.#setAvailable(this.#state === 'running' && this.#drachtioUp && this.#link?.ready === true);
  }

  #setAvailable(available: boolean): void {
    if (available === this.#available) return;
    this.#available = available;
    this.events.safeEmit('availability', available);
  }
}
