/**
 * The embedded engine: SIP (this folder's `sip/`), SDP (`sdp/`) and media (`media/`, `rtp/`)
 * inside the Node process, implementing the engine port. It is also the user-agent core
 * (RFC 3261 §8.2): method checks (405), dialog matching (481), OPTIONS, new INVITEs.
 */
import type { Logger } from 'pino';
import { AppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import type { Bridge } from '../../ports/bridge.ts';
import type { DialOptions, EngineEvents, MediaEngine } from '../../ports/engine.ts';
import type { EngineTelemetry } from '../../ports/engine-telemetry.ts';
import type { Leg } from '../../ports/leg.ts';
import { hostIdleSampler } from '../telemetry/host-idle.ts';
import { IdleCpuPoller } from '../telemetry/idle-cpu-poller.ts';
import { callFactsFromInvite } from './call-facts-from-invite.ts';
import type { EmbeddedEngineOptions } from './embedded-engine-options.ts';
import { EmbeddedLeg } from './embedded-leg.ts';
import type { Closeable, DialogOwner, EngineContext } from './engine-context.ts';
import type { MediaChannel, MediaService } from './media/media-channel.ts';
import { mediaClock } from './media/media-clock.ts';
import { createMediaService } from './media/media-service.ts';
import { createMixerBridge, type MemberLeg } from './media/mixer-bridge.ts';
import { createWorkerMediaService, type WorkerMediaService } from './media-workers/worker-media-service.ts';
import { EmbeddedOfferedCall, newLegId } from './offered-call.ts';
import type { G711Codec } from './sdp/sdp-audio.ts';
import type { Clock } from './sip/clock.ts';
import { dialogKey, tagOf } from './sip/dialog.ts';
import { getHeader, header, type SipRequest, type SipResponse } from './sip/sip-message.ts';
import { ALLOWED_METHODS } from './sip/sip-responses.ts';
import { SipStack, type ServerTransaction, type SipCore } from './sip/sip-stack.ts';
import type { SipPeer, TcpGuardKind } from './sip/sip-transport.ts';
import { dialOut } from './uac-dial.ts';

const SUPPORTED_METHODS = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO']);

type EngineState = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/** The embedded media engine. */
export class EmbeddedEngine implements MediaEngine, SipCore {
  readonly name = 'embedded' as const;
  readonly events = new TypedEmitter<EngineEvents>();
  readonly #options: EmbeddedEngineOptions;
  readonly #logger: Logger | undefined;
  readonly #stack: SipStack;
  #media: MediaService | undefined;
  /** Set when media runs in worker threads (then it is also `#media`). */
  #workers: WorkerMediaService | undefined;
  #state: EngineState = 'new';
  readonly #dialogs = new Map<string, DialogOwner>();
  readonly #legs = new Set<Closeable>();
  readonly #bridges = new Set<Bridge>();
  readonly #offers = new WeakMap<ServerTransaction, EmbeddedOfferedCall>();
  /** Offers not yet decided, answered 503 on shutdown. Entries leave once settled. */
  readonly #pendingOffers = new Set<EmbeddedOfferedCall>();
  #closePromise: Promise<void> | undefined;
  #bridgeSeq = 0;
  /** This machine's idle CPU, measured once admission first asks. */
  #hostIdle: IdleCpuPoller | undefined;

  /** `internals.clock` replaces the wall clock for SIP timers (tests only). */
  constructor(options: EmbeddedEngineOptions, internals: { clock?: Clock } = {}) {
    this.#options = options;
    this.#logger = options.logger;
    const stackOptions = {
      host: options.sipHost,
      port: options.sipPort,
      tcp: options.tcp ?? true,
      t1Ms: options.t1Ms,
      logger: options.logger,
      tcpLimits: {
        maxConnections: options.tcpMaxConnections,
        maxPerSource: options.tcpMaxPerSource,
        tcpHeaderTimeoutMs: options.tcpHeaderTimeoutMs,
        tcpIdleMs: options.tcpIdleMs,
      },
      onGuard: (kind: TcpGuardKind) => { this.events.safeEmit('guard', kind); },
    };
    this.#stack = new SipStack(internals.clock === undefined ? stackOptions : { ...stackOptions, clock: internals.clock });
    this.#stack.setCore(this);
    this.events.onListenerError = (err, event) => this.#logger?.warn({ err, event }, 'engine listener failed');
  }

  get available(): boolean {
    return this.#state === 'running';
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  get sipAddress(): { host: string; port: number } | undefined {
    if (this.#state !== 'running' && this.#state !== 'closing') return undefined;
    return { host: this.#options.sipHost, port: this.#stack.transport.port };
  }

  /** The SIP stack (tests read transaction counts from it). */
  get stack(): SipStack {
    return this.#stack;
  }

  /** SIP counted by the stack, RTP over every channel, and the shared media clock's tick lateness. */
  telemetry(): EngineTelemetry {
    const rtp = this.#media?.rtpTotals?.();
    return {
      sip: this.#stack.tally.snapshot(),
      ...(rtp === undefined ? {} : { rtp }),
      mixerTickLateness: this.#workers?.tickLateness() ?? mediaClock.latenessHistogram.snapshot(),
    };
  }

  /** This machine's idle CPU share over the last second (the media runs here). */
  mediaHostIdle(): number | undefined {
    if (this.#state !== 'running') return undefined;
    if (this.#hostIdle === undefined) {
      this.#hostIdle = new IdleCpuPoller(hostIdleSampler());
      this.#hostIdle.start();
    }
    return this.#hostIdle.idle;
  }

  /** Number of live legs (for leak tests). */
  get legCount(): number {
    return this.#legs.size;
  }

  #context(): EngineContext {
    const media = this.#media;
    if (!media || this.#state === 'new' || this.#state === 'starting') throw new AppError('ENGINE_UNAVAILABLE', 'the engine is not started');
    const codecs: readonly G711Codec[] = this.#options.codecs ?? ['PCMU', 'PCMA'];
    const state = (): EngineState => this.#state;
    return {
      stack: this.#stack,
      media,
      codecs,
      logger: this.#logger,
      dialogs: this.#dialogs,
      legs: this.#legs,
      guard: (kind) => { this.events.safeEmit('guard', kind); },
      get closing() {
        return state() === 'closing' || state() === 'closed';
      },
    };
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') {
      if (this.#state === 'closing' || this.#state === 'closed') throw new AppError('ENGINE_CLOSED', 'the engine is closed');
      return;
    }
    this.#state = 'starting';
    const o = this.#options;
    const mediaOptions = {
      host: o.rtpHost ?? o.sipHost,
      portMin: o.rtpPortMin ?? 20000,
      portMax: o.rtpPortMax ?? 29999,
      mediaTimeoutMs: o.mediaTimeoutMs ?? 30_000,
    };
    const workers = o.mediaWorkers ?? 0;
    if (workers > 0) {
      this.#workers = createWorkerMediaService({ ...mediaOptions, workers, logger: this.#logger });
      this.#media = this.#workers;
    } else {
      this.#media = createMediaService(this.#logger === undefined ? mediaOptions : { ...mediaOptions, logger: this.#logger });
    }
    try {
      await this.#workers?.start();
      await this.#stack.start();
    } catch (err) {
      this.#state = 'closed';
      await this.#media.close().catch(() => undefined);
      throw err;
    }
    this.#state = 'running';
    this.#logger?.debug({ host: o.sipHost, port: this.#stack.transport.port }, 'sip listening');
  }

  async dial(options: DialOptions): Promise<Leg> {
    if (this.#state === 'closing' || this.#state === 'closed') throw new AppError('ENGINE_CLOSED', 'the engine is closed');
    return dialOut(this.#context(), options);
  }

  createBridge(name: string): Promise<Bridge> {
    if (this.#state === 'closing' || this.#state === 'closed') return Promise.reject(new AppError('ENGINE_CLOSED', 'the engine is closed'));
    if (this.#state !== 'running') return Promise.reject(new AppError('ENGINE_UNAVAILABLE', 'the engine is not started'));
    this.#bridgeSeq += 1;
    const channelOf = (leg: MemberLeg): MediaChannel | undefined => (leg instanceof EmbeddedLeg && !leg.closed ? leg.channel : undefined);
    const id = `${name}#${String(this.#bridgeSeq)}`;
    const bridge = this.#workers === undefined ? createMixerBridge(id, channelOf) : this.#workers.createBridge(id, channelOf);
    this.#bridges.add(bridge);
    bridge.events.on('closed', () => { this.#bridges.delete(bridge); });
    return Promise.resolve(bridge);
  }

  async close(): Promise<void> {
    this.#closePromise ??= this.#shutdown('closed', true);
    return this.#closePromise;
  }

  destroy(err?: Error): void {
    if (err) this.#logger?.warn({ err }, 'engine destroyed');
    this.#closePromise ??= this.#shutdown(err === undefined ? 'destroyed' : 'error', false);
  }

  async #shutdown(reason: string, graceful: boolean): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closing';
    this.#hostIdle?.stop();
    for (const offer of this.#pendingOffers) offer.abandon();
    this.#pendingOffers.clear();
    const legs = [...this.#legs];
    const byes = legs.map(async (leg) => {
      if (leg instanceof EmbeddedLeg) await leg.endByEngine('shutdown');
      else leg.destroy();
    });
    if (graceful) await Promise.allSettled(byes);
    await Promise.allSettled([...this.#bridges].map((b) => b.close('engine-closed')));
    await this.#media?.close().catch((err: unknown) => this.#logger?.warn({ err }, 'media service close failed'));
    await this.#stack.close().catch((err: unknown) => this.#logger?.warn({ err }, 'sip stack close failed'));
    this.#state = 'closed';
    this.events.safeEmit('closed', reason);
  }

  // SipCore: the user-agent core.

  onRequest(tx: ServerTransaction): void {
    const request = tx.request;
    try {
      this.#route(tx, request);
    } catch (err) {
      this.#logger?.warn({ err, method: request.method }, 'sip request handling failed');
      if (!tx.finalSent) tx.respond(500);
    }
  }

  #route(tx: ServerTransaction, request: SipRequest): void {
    if (!SUPPORTED_METHODS.has(request.method)) {
      tx.respond(405, { headers: [header('Allow', ALLOWED_METHODS)] });
      return;
    }
    const toTag = tagOf(getHeader(request, 'to'));
    if (toTag !== '') {
      const owner = this.#dialogs.get(dialogKey(getHeader(request, 'call-id') ?? '', toTag, tagOf(getHeader(request, 'from'))));
      if (owner) owner.onRequest(tx);
      else if (request.method === 'OPTIONS') this.#answerOptions(tx);
      else tx.respond(481);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        this.#onInvite(tx);
        return;
      case 'OPTIONS':
        this.#answerOptions(tx);
        return;
      default:
        tx.respond(481);
    }
  }

  #answerOptions(tx: ServerTransaction): void {
    tx.respond(200, {
      toTag: 'options',
      headers: [header('Allow', ALLOWED_METHODS), header('Accept', 'application/sdp'), header('Supported', 'replaces')].slice(0, 2),
    });
  }

  #onInvite(tx: ServerTransaction): void {
    if (this.#state !== 'running') {
      tx.respond(503, { headers: [header('Retry-After', '30')] });
      return;
    }
    if (this.events.listenerCount('offer') === 0) {
      tx.respond(480, { toTag: 'nohandler' });
      return;
    }
    const facts = callFactsFromInvite(tx.request, tx.source);
    // Offers leave the pending set once decided (the offer's own 32 s limit decides at the latest).
    const offer: EmbeddedOfferedCall = new EmbeddedOfferedCall(this.#context(), tx, facts, newLegId(), () => { this.#pendingOffers.delete(offer); });
    this.#offers.set(tx, offer);
    this.#pendingOffers.add(offer);
    this.#logger?.debug({ callId: facts.callId, transport: facts.transport }, 'sip invite offered');
    this.events.safeEmit('offer', offer);
  }

  onAck(request: SipRequest, _source: SipPeer): void {
    const key = dialogKey(getHeader(request, 'call-id') ?? '', tagOf(getHeader(request, 'to')), tagOf(getHeader(request, 'from')));
    this.#dialogs.get(key)?.onAck(request, _source);
  }

  onCancel(invite: ServerTransaction): void {
    this.#offers.get(invite)?.onCancel();
  }

  onStray2xx(response: SipResponse): void {
    const key = dialogKey(getHeader(response, 'call-id') ?? '', tagOf(getHeader(response, 'from')), tagOf(getHeader(response, 'to')));
    this.#dialogs.get(key)?.onStray2xx?.(response);
  }
}

/** Creates the embedded engine (call `start()` before use). */
export function createEmbeddedEngine(options: EmbeddedEngineOptions): MediaEngine {
  return new EmbeddedEngine(options);
}
