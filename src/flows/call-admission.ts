/**
 * Admission control for new inbound calls, decided before anything is answered or stored:
 * scanners and banned sources are dropped without an answer; a source over its INVITE rate,
 * a server over its global new-call rate, its active-call cap, its event-loop lag or busyness
 * budget or its media host's idle-CPU floor,
 * and a server that stopped taking calls (drain) answer 503 with Retry-After. A flood from
 * one address bans that address only: callers from other addresses keep getting in.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { RateWindow } from '../domain/rate-window.ts';
import { SourceLimiter } from '../domain/source-limiter.ts';
import type { CallFacts } from '../ports/call-facts.ts';

/** The limits, from the ADMISSION_* and SIP_SCANNER_USER_AGENTS settings. */
export interface AdmissionSettings {
  /** INVITEs from one address per window before it is refused and banned. */
  readonly sourceInvites: number;
  readonly sourceWindowMs: number;
  readonly banMs: number;
  /** Unknown-number calls per minute from one address before it is banned (0: never). */
  readonly sourceNotFound: number;
  /** Addresses or CIDR ranges (trunks) the per-source limits never apply to. */
  readonly trustedSources: readonly string[];
  /** New calls per second over all sources (0: no limit). */
  readonly callsPerSecond: number;
  /** Calls up at once (0: no limit). */
  readonly maxCalls: number;
  /** Refuse new calls while the event loop lags more than this, ms (0: never). */
  readonly maxLoopLagMs: number;
  /** Refuse new calls while the event loop was busy more than this share of the last second, 0–1 (0: never). */
  readonly maxLoopBusy: number;
  /** Refuse new calls while the media host had less idle CPU than this share over the last second, 0–1 (0: never). */
  readonly minMediaIdle: number;
  /** User-Agent fragments (any case) of known scanners, whose calls are dropped. */
  readonly scannerUserAgents: readonly string[];
}

/** Defaults matching the settings' defaults (tests and runtimes built without settings). */
export const DEFAULT_ADMISSION: AdmissionSettings = {
  sourceInvites: 20,
  sourceWindowMs: 2000,
  banMs: 60_000,
  sourceNotFound: 10,
  trustedSources: [],
  callsPerSecond: 50,
  maxCalls: 1000,
  maxLoopLagMs: 250,
  maxLoopBusy: 0.9,
  minMediaIdle: 0,
  scannerUserAgents: ['friendly-scanner', 'sipvicious', 'sipcli', 'sip-scan', 'sundayddr', 'iwar', 'smap', 'vaxsipuseragent', 'pplsip'],
};

/** Why a call was refused or dropped (a metric label: a small fixed set). */
export type AdmissionReason = 'scanner' | 'banned' | 'source-rate' | 'number-walk' | 'draining' | 'global-rate' | 'call-cap' | 'saturated';

/** The decision for one offered call. */
export type AdmissionDecision =
  | { readonly kind: 'admit' }
  | { readonly kind: 'refuse'; readonly reason: AdmissionReason; readonly retryAfterSeconds: number }
  | { readonly kind: 'drop'; readonly reason: AdmissionReason };

/** What the gate reads about the server. */
export interface AdmissionProbes {
  /** Milliseconds since some epoch (the injected clock). */
  readonly now: () => number;
  /** Calls up now (offered, in the IVR, joined). */
  readonly activeCalls: () => number;
  /** Recent event-loop lag, ms. */
  readonly loopLagMs: () => number;
  /** Share of the recent past the event loop was busy, 0–1 (absent: not watched). */
  readonly loopBusy?: () => number;
  /** Share of the media host's CPU idle over the last second, 0–1; undefined: not known (absent: not watched). */
  readonly mediaHostIdle?: () => number | undefined;
  /**
   * Whether `address` lies in a carrier trunk's inbound ranges (read per call, so a trunk added
   * through the API counts at once): such a source is trusted like `trustedSources`, so a
   * carrier's busy hour is never rate-limited or banned as a scanner.
   */
  readonly isTrunkSource?: (address: string) => boolean;
}

const ADMIT: AdmissionDecision = { kind: 'admit' };
/** Retry-After for refusals caused by load rather than by the caller. */
const LOAD_RETRY_AFTER_S = 5;

/** The gate every new inbound call passes before it is answered. */
export class CallAdmission {
  readonly #settings: AdmissionSettings;
  readonly #probes: AdmissionProbes;
  readonly #sources: SourceLimiter;
  readonly #rate: RateWindow | undefined;
  readonly #trusted = new BlockList();
  readonly #scanners: readonly string[];
  #refusing: number | null = null;

  constructor(settings: AdmissionSettings, probes: AdmissionProbes) {
    this.#settings = settings;
    this.#probes = probes;
    this.#sources = new SourceLimiter({ maxInvites: settings.sourceInvites, windowMs: settings.sourceWindowMs, banMs: settings.banMs, maxNotFound: settings.sourceNotFound });
    this.#rate = settings.callsPerSecond > 0 ? new RateWindow(settings.callsPerSecond, 1000) : undefined;
    for (const entry of settings.trustedSources) addTrusted(this.#trusted, entry);
    this.#scanners = settings.scannerUserAgents.map((s) => s.toLowerCase()).filter((s) => s !== '');
  }

  /**
   * From now on every new call is refused 503 with `Retry-After: retryAfterSeconds` (the
   * SIGTERM drain); `null` takes calls again. Existing calls are not touched.
   */
  refuseNewCalls(retryAfterSeconds: number | null): void {
    this.#refusing = retryAfterSeconds === null ? null : Math.max(0, Math.round(retryAfterSeconds));
  }

  /** Whether new calls are being refused (drain). */
  get refusingNewCalls(): boolean {
    return this.#refusing !== null;
  }

  /** Decides about one offered call, counting it against its source and the global rate. */
  decide(facts: CallFacts): AdmissionDecision {
    const ua = (facts.headers['user-agent'] ?? '').toLowerCase();
    if (ua !== '' && this.#scanners.some((s) => ua.includes(s))) return { kind: 'drop', reason: 'scanner' };
    const now = this.#probes.now();
    const address = facts.source.address;
    if (!this.#isTrusted(address)) {
      const verdict = this.#sources.invite(address, now);
      if (verdict.kind === 'drop') return { kind: 'drop', reason: 'banned' };
      if (verdict.kind === 'refuse') return { kind: 'refuse', reason: 'source-rate', retryAfterSeconds: verdict.retryAfterSeconds };
    }
    if (this.#refusing !== null) return { kind: 'refuse', reason: 'draining', retryAfterSeconds: this.#refusing };
    if (this.#settings.maxCalls > 0 && this.#probes.activeCalls() >= this.#settings.maxCalls) {
      return { kind: 'refuse', reason: 'call-cap', retryAfterSeconds: LOAD_RETRY_AFTER_S };
    }
    if (this.#settings.maxLoopLagMs > 0 && this.#probes.loopLagMs() > this.#settings.maxLoopLagMs) {
      return { kind: 'refuse', reason: 'saturated', retryAfterSeconds: LOAD_RETRY_AFTER_S };
    }
    if (this.#settings.maxLoopBusy > 0 && (this.#probes.loopBusy?.() ?? 0) > this.#settings.maxLoopBusy) {
      return { kind: 'refuse', reason: 'saturated', retryAfterSeconds: LOAD_RETRY_AFTER_S };
    }
    if (this.#settings.minMediaIdle > 0) {
      // Unknown (the media server not reporting yet) is not a reason to refuse.
      const idle = this.#probes.mediaHostIdle?.();
      if (idle !== undefined && idle < this.#settings.minMediaIdle) return { kind: 'refuse', reason: 'saturated', retryAfterSeconds: LOAD_RETRY_AFTER_S };
    }
    if (this.#rate !== undefined && !this.#rate.take(now)) {
      return { kind: 'refuse', reason: 'global-rate', retryAfterSeconds: this.#rate.secondsLeft(now) };
    }
    return ADMIT;
  }

  /** A call from `address` was to an unknown number; true when that banned the address (a number walk). */
  notFound(address: string): boolean {
    if (this.#isTrusted(address)) return false;
    return this.#sources.notFound(address, this.#probes.now());
  }

  #isTrusted(address: string): boolean {
    if (!isIPv4(address) && !isIPv6(address)) return false;
    if (this.#settings.trustedSources.length > 0 && this.#trusted.check(address, isIPv6(address) ? 'ipv6' : 'ipv4')) return true;
    return this.#probes.isTrunkSource?.(address) ?? false;
  }
}

/** Adds `a.b.c.d`, `a.b.c.d/n` or an IPv6 equivalent to the allow-list (settings validated the text). */
function addTrusted(list: BlockList, entry: string): void {
  const [address = '', bits] = entry.split('/');
  const family = isIPv6(address) ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(address, family);
  else list.addSubnet(address, Number(bits), family);
}
