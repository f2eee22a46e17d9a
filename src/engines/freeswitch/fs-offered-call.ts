import type { Endpoint } from 'drachtio-fsmrf';
import type { SrfDialog, SrfRequest, SrfResponse } from 'drachtio-srf';
import { AppError } from '../../lib/errors.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { OfferedCall } from '../../ports/engine.ts';
import type { Leg } from '../../ports/leg.ts';
import { deferred } from './deferred.ts';
import { FsLeg } from './fs-leg.ts';
import type { EngineContext } from './leg-context.ts';
import type { MediaLink } from './media-link.ts';

/** Unanswered offers are rejected after this long (the port's promise). */
export const OFFER_TIMEOUT_MS = 32_000;

/** The SIP status carried by an error drachtio-srf raises (`SipError`), if any. */
export function sipStatusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

/**
 * An inbound INVITE waiting for the product's decision. `answer()` connects the caller to a
 * new FreeSWITCH endpoint (fsmrf `connectCaller`: FreeSWITCH answers first, then we send 200
 * with its SDP). A CANCEL during that setup releases the endpoint fsmrf would leak (FIELD-NOTES).
 */
export class FsOfferedCall implements OfferedCall {
  readonly cancelled: Promise<void>;
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
    req: SrfRequest,
    res: SrfResponse,
    link: MediaLink,
    ctx: EngineContext,
    onLeg: (leg: FsLeg) => void,
  ) {
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

  ring(): Promise<void> {
    this.#ensureOpen(false);
    this.#send(180);
    return Promise.resolve();
  }

  async answer(): Promise<Leg> {
    this.#ensureOpen(true);
    let pair: { endpoint: Endpoint; dialog: SrfDialog };
    try {
      const ms = this.#link.mediaServer;
      pair = await withTimeout(ms.connectCaller(this.#req, this.#res), this.#ctx.operationTimeoutMs * 2, 'connect caller');
    } catch (err) {
      const status = sipStatusOf(err);
      if (!this.#res.finalResponseSent && !this.#isCancelled) this.#send(status === 488 ? 488 : 503);
      if (status === 488) throw new AppError('SDP_NOT_ACCEPTABLE', 'no common codec with the caller', { cause: err });
      if (this.#isCancelled) throw new AppError('LEG_GONE', 'the caller cancelled', { cause: err });
      throw err instanceof AppError ? err : new AppError('ENGINE_UNAVAILABLE', 'could not connect the caller to FreeSWITCH', { cause: err });
    }
    const { endpoint, dialog } = pair;
    const leg = new FsLeg('inbound', this.facts, endpoint, dialog, this.#ctx);
    if (this.#isCancelled) {
      leg.destroy();
      throw new AppError('LEG_GONE', 'the caller cancelled during setup');
    }
    try {
      await leg.prepare();
    } catch (err) {
      leg.destroy(err instanceof Error ? err : undefined);
      throw new AppError('LEG_GONE', 'the call ended during setup', { cause: err });
    }
    this.#onLeg(leg);
    return leg;
  }

  reject(status: number, reason?: string): Promise<void> {
    this.#ensureOpen(true);
    if (!Number.isInteger(status) || status < 400 || status > 699) {
      throw new AppError('BAD_REQUEST', 'a rejection status is 400-699');
    }
    this.#send(status, reason);
    return Promise.resolve();
  }

  #ensureOpen(final: boolean): void {
    if (this.#isCancelled) throw new AppError('LEG_GONE', 'the caller cancelled');
    if (this.#decided) throw new AppError('INVALID_TRANSITION', 'the call was already answered or rejected');
    if (final) {
      this.#decided = true;
      clearTimeout(this.#timer);
    }
  }

  #send(status: number, reason?: string): void {
    try {
      if (reason === undefined) this.#res.send(status);
      else this.#res.send(status, reason);
    } catch (err) {
      this.#ctx.logger?.warn({ err, status }, 'could not send response');
    }
  }
}
