import type { Endpoint } from 'drachtio-fsmrf';
import type { SrfApi, SrfDialog, SrfRequest, SrfResponse } from 'drachtio-srf';
import { AppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import { mediaAddressProblem } from '../../lib/media-address.ts';
import type { OfferedCall, RejectOptions } from '../../ports/engine.ts';
import type { Leg } from '../../ports/leg.ts';
import { deferred } from './deferred.ts';
import { FsLeg } from './fs-leg.ts';
import type { EngineContext } from './leg-context.ts';
import type { MediaLink } from './media-link.ts';

/** Unanswered offers are rejected after this long (the port's promise). */
export const OFFER_TIMEOUT_MS = 32_000;
/** Retry-After of the 503 sent when FreeSWITCH does not take an answered-to-be call (as for load refusals). */
const MEDIA_REFUSED_RETRY_AFTER_S = 5;

/** The SIP status carried by an error drachtio-srf raises (`SipError`), if any. */
export function sipStatusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

/**
 * An inbound INVITE waiting for the product's decision. `answer()` connects the caller to a
 * new FreeSWITCH endpoint: FreeSWITCH answers first, then the caller gets 200 with its SDP.
 */
export class FsOfferedCall implements OfferedCall {
  readonly cancelled: Promise<void>;
  readonly #srf: SrfApi;
  readonly #req: SrfRequest;
  readonly #res: SrfResponse;
  readonly #link: MediaLink;
  readonly #ctx: EngineContext;
  readonly #onLeg: (leg: FsLeg) => void;
  #decided = false;
  #isCancelled = false;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly facts: CallFacts,
    srf: SrfApi,
    req: SrfRequest,
    res: SrfResponse,
    link: MediaLink,
    ctx: EngineContext,
    onLeg: (leg: FsLeg) => void,
  ) {
    this.#srf = srf;
    this.#req = req;
    this.#res = res;
    this.#link = link;
    this.#ctx = ctx;
    this.#onLeg = onLeg;
    const cancelled = deferred<undefined>();
    this.cancelled = cancelled.promise.then(() => undefined);
    req.on('cancel', () => {
      this.#isCancelled = true;
      cancelled.resolve(undefined);
    });
    this.#timer = setTimeout(() => {
      if (!this.#decided && !this.#isCancelled) {
        ctx.logger?.warn({ callId: facts.callId }, 'offer not answered in time');
        void this.reject(480, 'Temporarily Unavailable').catch(() => undefined);
      }
    }, OFFER_TIMEOUT_MS);
    this.#timer.unref();
  }


  async ring(): Promise<void> {
    this.#ensureOpen(false);
    this.#send(180);
  }

  async answer(): Promise<Leg> {
    this.#ensureOpen(true);
    const timeout = this.#ctx.operationTimeoutMs;
    // fsmrf's connectCaller, unrolled so that a CANCEL during setup cannot leak the
    // FreeSWITCH endpoint (FIELD-NOTES): FreeSWITCH answers our INVITE first, then the caller
    // gets 200 with FreeSWITCH's SDP.
    const offer = this.#req.body ?? '';
    if (/^m=audio\s.*SAVP/m.test(offer)) {
      // The legs to FreeSWITCH are plain RTP (rtp_secure_media=forbidden); SRTP callers need an SBC.
      this.#send(488);
      throw new AppError('SDP_NOT_ACCEPTABLE', 'SRTP offers are not accepted by the freeswitch engine');
    }
    // Checked here, before FreeSWITCH sees the offer: it would resolve a hostname and send RTP anywhere.
    const addressProblem = connectionAddressProblem(offer);
    if (addressProblem !== undefined) {
      this.#send(488, 'Not Acceptable Here', { headers: { Warning: `305 dialbridge "${addressProblem}"` } });
      throw new AppError('SDP_NOT_ACCEPTABLE', `the offer is not acceptable: ${addressProblem}`, { details: { status: 488 } });
    }
    let endpoint: Endpoint;
    try {
      endpoint = await withTimeout(
        this.#link.mediaServer.createEndpoint({ remoteSdp: offer }),
        timeout,
        'create endpoint',
      );
    } catch (err) {
      const status = sipStatusOf(err);
      // FreeSWITCH refused or did not connect back in time (overloaded, restarting): the caller
      // may try again shortly, as after any load refusal.
      if (!this.#isCancelled) {
        if (status === 488) this.#send(488);
        else this.#send(503, 'Service Unavailable', { headers: { 'Retry-After': String(MEDIA_REFUSED_RETRY_AFTER_S) } });
      }
      if (status === 488) throw new AppError('SDP_NOT_ACCEPTABLE', 'no common codec with the caller', { cause: err });
      if (this.#isCancelled) throw new AppError('LEG_GONE', 'the caller cancelled', { cause: err });
      throw err instanceof AppError ? err : new AppError('ENGINE_UNAVAILABLE', 'FreeSWITCH did not take the call', { cause: err });
    }
    const release = (): void => {
      void withTimeout(endpoint.destroy(), timeout, 'endpoint destroy').catch(() => undefined);
    };
    if (this.#isCancelled) {
      release();
      throw new AppError('LEG_GONE', 'the caller cancelled during setup');
    }
    let dialog: SrfDialog;
    try {
      dialog = await withTimeout(
        this.#srf.createUAS(this.#req, this.#res, { localSdp: endpoint.local.sdp }),
        timeout,
        'answer caller',
      );
    } catch (err) {
      release();
      throw new AppError('LEG_GONE', 'the caller went away while being answered', { cause: err });
    }
    const leg = new FsLeg('inbound', this.facts, endpoint, dialog, this.#ctx);
    try {
      await leg.prepare();
    } catch (err) {
      leg.destroy(err instanceof Error ? err : undefined);
      throw new AppError('LEG_GONE', 'the call ended during setup', { cause: err });
    }
    this.#onLeg(leg);
    return leg;
  }


  async reject(status: number, reason?: string, options: RejectOptions = {}): Promise<void> {
    if (!Number.isInteger(status) || status < 400 || status > 699) {
      throw new AppError('BAD_REQUEST', 'a rejection status is 400-699');
    }
    const retryAfter = options.retryAfterSeconds;
    if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0)) {
      throw new AppError('BAD_REQUEST', 'Retry-After is a whole number of seconds');
    }
    this.#ensureOpen(true);
    this.#send(status, reason, retryAfter === undefined ? undefined : { headers: { 'Retry-After': String(retryAfter) } });
  }

  /**
   * No response at all. drachtio-server has already sent 100 Trying by itself and ends the
   * server transaction on its own timer; the product learns nothing more of this INVITE.
   */
  drop(): void {
    if (this.#decided || this.#isCancelled) return;
    this.#decided = true;
    clearTimeout(this.#timer);
  }

  #ensureOpen(final: boolean): void {
    if (this.#isCancelled) throw new AppError('LEG_GONE', 'the caller cancelled');
    if (this.#decided) throw new AppError('INVALID_TRANSITION', 'the call was already answered or rejected');
    if (final) {
      this.#decided = true;
      clearTimeout(this.#timer);
    }
  }

  #send(status: number, reason?: string, opts?: { headers: Record<string, string> }): void {
    try {
      if (opts !== undefined) this.#res.send(status, reason ?? (status === 503 ? 'Service Unavailable' : 'Rejected'), opts);
      else if (reason === undefined) this.#res.send(status);
      else this.#res.send(status, reason);
    } catch (err) {
      // drachtio-srf throws for a status it has no phrase for (e.g. 499): send the class's
      // base code instead (RFC 3261 §8.1.3.2 treats an unknown code as its x00).
      const base = Math.floor(status / 100) * 100;
      this.#ctx.logger?.warn({ err, status, sent: base }, 'status not sendable; sending its class');
      try {
        if (base !== status && base >= 400) this.#res.send(base, reason ?? 'Rejected', opts);
      } catch (again) {
        this.#ctx.logger?.warn({ err: again, status: base }, 'could not send response');
      }
    }
  }
}

/** The first unusable `c=` address of an SDP offer (session or media level), if any. */
export function connectionAddressProblem(sdp: string): string | undefined {
  for (const m of sdp.matchAll(/^c=IN[ \t]+(\S+)[ \t]+(\S+)/gm)) {
    const family = m[1] === 'IP4' ? 4 : m[1] === 'IP6' ? 6 : undefined;
    if (family === undefined) return 'c= address type is not IP4 or IP6';
    const address = (m[2] ?? '').replace(/\/\d+(\/\d+)?$/, '');
    const problem = mediaAddressProblem(address, family, { allowUnspecified: false });
    if (problem !== undefined) return problem;
  }
  return undefined;
}
