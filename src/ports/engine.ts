import type { TypedEmitter } from '../lib/typed-emitter.ts';
import type { Bridge } from './bridge.ts';
import type { CallFacts } from './call-facts.ts';
import type { EngineTelemetry } from './engine-telemetry.ts';
import type { Leg } from './leg.ts';

/** A trunk to dial out through. */
export interface TrunkOptions {
  /** Outbound proxy as a SIP URI, e.g. `sip:127.0.0.1:5070;transport=udp`. Requests go there, the Request-URI stays the target. */
  readonly outboundProxy?: string;
  /** Digest credentials for 401/407 challenges. */
  readonly username?: string;
  readonly password?: string;
}

/** What to dial. */
export interface DialOptions {
  /** Target SIP URI, e.g. `sip:+4930123@carrier.example`. */
  readonly target: string;
  /** Caller ID presented (the From user part and P-Asserted-Identity). */
  readonly callerId?: string;
  readonly callerName?: string;
  /** Present the caller ID as withheld (`Privacy: id`, anonymous From). */
  readonly withholdCallerId?: boolean;
  readonly trunk?: TrunkOptions;
  /** Give up (CANCEL) after this long without an answer; default 30 s. */
  readonly ringTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called on 180/183. */
  readonly onProgress?: (status: 180 | 183) => void;
}

/** Options of {@link OfferedCall.reject}. */
export interface RejectOptions {
  /** Adds `Retry-After: N` (RFC 3261 §20.33), e.g. to a 503 from admission control or a drain. */
  readonly retryAfterSeconds?: number;
}

/**
 * An inbound call that has not been answered yet.
 *
 * Exactly one of `answer()`, `reject()` or `drop()` may be called. If the caller cancels
 * first, the `cancelled` promise resolves and `answer`/`reject` reject with `LEG_GONE`.
 */
export interface OfferedCall {
  readonly facts: CallFacts;
  /** Resolves when the caller hangs up (CANCEL) before we answered. */
  readonly cancelled: Promise<void>;
  /** Sends 180 Ringing (optional). */
  ring(): Promise<void>;
  /** Answers with 200 OK and negotiated media; resolves with the live leg. Rejects `SDP_NOT_ACCEPTABLE` (488 sent). */
  answer(): Promise<Leg>;
  /** Rejects with a SIP final status (4xx–6xx). */
  reject(status: number, reason?: string, options?: RejectOptions): Promise<void>;
  /**
   * Discards the INVITE with no answer at all, now or later (admission control: a banned
   * source, a scanner). Retransmissions of it are absorbed silently. No-op once decided.
   */
  drop(): void;
}

/** Input an engine's own guards refused (a fixed set, counted by the operator's metrics). */
export type GuardKind = 'tcp-source-cap' | 'tcp-total-cap' | 'tcp-framing-error' | 'tcp-header-timeout' | 'tcp-idle-timeout' | 'dtmf-spoofed';

/** Events an engine reports. */
export interface EngineEvents extends Record<string, unknown[]> {
  /** A new inbound call. A listener must answer or reject it; unanswered calls are rejected 480 after 32 s. */
  offer: [call: OfferedCall];
  /** The engine became unavailable (e.g. lost its media server) or available again. */
  availability: [available: boolean];
  /** Terminal. */
  closed: [reason: string];
  /** Some SIP or media input was refused by a guard (for counting only; never per-call data). */
  guard: [kind: GuardKind];
}

/** Thrown by `dial` (code `DIAL_FAILED`) with the final status in `details.status` (e.g. 486, 487 for cancel, 408 for no answer). */
export interface DialFailure {
  readonly status: number;
  readonly reason: string;
}

/**
 * A media engine: the signalling and media server the product drives.
 *
 * Lifecycle: `start()` binds and resolves once calls can arrive; `close()` hangs up every
 * leg, closes every bridge (finalising recordings) and releases sockets; `destroy()` does it
 * without waiting. Both idempotent; one `closed` event. Every promise returned by an engine
 * or its legs and bridges settles within a bounded time.
 */
export interface MediaEngine {
  readonly name: 'embedded' | 'freeswitch';
  readonly events: TypedEmitter<EngineEvents>;
  readonly available: boolean;
  readonly closed: boolean;
  /** Where callers send SIP once started (the bound address; port 0 is resolved). */
  readonly sipAddress: { readonly host: string; readonly port: number } | undefined;

  start(): Promise<void>;
  /** Places an outbound call; resolves with the answered leg or rejects `DIAL_FAILED`. */
  dial(options: DialOptions): Promise<Leg>;
  createBridge(name: string): Promise<Bridge>;
  /** Running totals of SIP, RTP and mixer counters, read when metrics are scraped (cheap, synchronous). Engines that count nothing omit it. */
  telemetry?(): EngineTelemetry;
  /**
   * Share (0–1) of the media host's CPU that was idle over about the last second — this
   * machine for the embedded engine, FreeSWITCH's machine as FreeSWITCH measures it — or
   * undefined while it cannot be told (not started, media server unreachable). Synchronous
   * and cheap: admission control reads it for every offered call; the first read starts the
   * measuring, so an engine nobody asks measures nothing.
   */
  mediaHostIdle?(): number | undefined;
  close(): Promise<void>;
  destroy(err?: Error): void;
}
