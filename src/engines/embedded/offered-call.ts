/**
 * An inbound INVITE offered to the application (the port's {@link OfferedCall}). Exactly one
 * of `answer`/`reject`; CANCEL (§9.2) → 487 and `cancelled` resolves; no decision within
 * 32 s → 480. Every failure path closes the media channel it opened.
 */
import { randomBytes } from 'node:crypto';
import { AppError, toAppError } from '../../lib/errors.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { OfferedCall, RejectOptions } from '../../ports/engine.ts';
import type { Leg } from '../../ports/leg.ts';
import { EmbeddedLeg } from './embedded-leg.ts';
import type { EngineContext } from './engine-context.ts';
import type { MediaChannel } from './media/media-channel.ts';
import { answerOffer } from './sdp/sdp-answer.ts';
import { createOffer } from './sdp/sdp-offer.ts';
import { Dialog } from './sip/dialog.ts';
import { newTag } from './sip/sip-ids.ts';
import { header } from './sip/sip-message.ts';
import { ALLOWED_METHODS } from './sip/sip-responses.ts';
import type { ServerTransaction } from './sip/sip-stack.ts';

/** How long an offered call may wait for a decision (port doc). */
export const OFFER_TIMEOUT_MS = 32_000;

type OfferState = 'offered' | 'answering' | 'answered' | 'rejected' | 'cancelled';

/** The embedded engine's offered call. */
export class EmbeddedOfferedCall implements OfferedCall {
  readonly facts: CallFacts;
  readonly cancelled: Promise<void>;
  readonly #ctx: EngineContext;
  readonly #tx: ServerTransaction;
  readonly #legId: string;
  readonly #localTag = newTag();
  #state: OfferState = 'offered';
  #resolveCancelled: () => void = () => undefined;
  #channel: MediaChannel | undefined;
  readonly #timer;

  constructor(ctx: EngineContext, tx: ServerTransaction, facts: CallFacts, legId: string) {
    this.#ctx = ctx;
    this.#tx = tx;
    this.facts = facts;
    this.#legId = legId;
    this.cancelled = new Promise<void>((resolve) => {
      this.#resolveCancelled = resolve;
    });
    this.#timer = ctx.stack.clock.setTimer(OFFER_TIMEOUT_MS, () => {
      if (this.#state !== 'offered') return;
      ctx.logger?.warn({ callId: facts.callId }, 'sip offer unanswered');
      this.#state = 'rejected';
      this.#tx.respond(480, { toTag: this.#localTag });
    });
  }

  /** True once a final response was decided. */
  get settled(): boolean {
    return this.#state !== 'offered' && this.#state !== 'answering';
  }

  #gone(): AppError {
    return new AppError('LEG_GONE', 'the offered call is no longer available', { details: { state: this.#state } });
  }

  ring(): Promise<void> {
    if (this.#state !== 'offered' && this.#state !== 'answering') return Promise.reject(this.#gone());
    this.#tx.respond(180, { toTag: this.#localTag, headers: [header('Contact', `<${this.#ctx.stack.contactUri(this.#tx.source.transport)}>`)] });
    return Promise.resolve();
  }

  reject(status: number, reason?: string, options: RejectOptions = {}): Promise<void> {
    if (this.#state !== 'offered') return Promise.reject(this.#gone());
    if (!Number.isInteger(status) || status < 400 || status > 699) {
      return Promise.reject(new AppError('BAD_REQUEST', 'reject needs a final status 400–699', { details: { status } }));
    }
    this.#state = 'rejected';
    this.#timer.cancel();
    const retryAfter = options.retryAfterSeconds;
    const headers = retryAfter === undefined ? [] : [header('Retry-After', String(Math.max(0, Math.round(retryAfter))))];
    this.#tx.respond(status, { toTag: this.#localTag, reason, headers });
    return Promise.resolve();
  }

  /** The engine is shutting down: an undecided offer is answered 503 (no-op once decided). */
  abandon(): void {
    if (this.#state !== 'offered') return;
    this.#state = 'rejected';
    this.#timer.cancel();
    this.#tx.respond(503, { toTag: this.#localTag });
  }

  /** §9.2: the caller cancelled before a final response: 487, resolve `cancelled`. */
  onCancel(): void {
    if (this.#state !== 'offered' && this.#state !== 'answering') return;
    this.#state = 'cancelled';
    this.#timer.cancel();
    this.#tx.respond(487, { toTag: this.#localTag });
    this.#channel?.close();
    this.#resolveCancelled();
  }

  #isAnswering(): boolean {
    return this.#state === 'answering';
  }

  async answer(): Promise<Leg> {
    if (this.#state !== 'offered') throw this.#gone();
    this.#state = 'answering';
    this.#timer.cancel();
    let channel: MediaChannel;
    try {
      channel = await this.#ctx.media.createChannel();
    } catch (err) {
      const e = toAppError(err);
      if (this.#isAnswering()) {
        this.#state = 'rejected';
        this.#tx.respond(503, { toTag: this.#localTag, reason: 'Media Unavailable' });
      }
      throw e;
    }
    // `onCancel` may have run while the port was being bound (the state is re-read here).
    if (!this.#isAnswering()) {
      channel.close();
      throw this.#gone();
    }
    this.#channel = channel;
    const invite = this.#tx.request;
    const local = { address: channel.localAddress, port: channel.localPort };
    const sessionId = String(Date.now());
    const origin = { sessionId, version: 1 };
    let body: string;
    const lateOffer = invite.body.length === 0;
    let held = false;
    if (lateOffer) {
      // §13.2.1 late offer: we offer in the 2xx, the answer comes in the ACK.
      body = createOffer(local, this.#ctx.codecs, origin);
    } else {
      const result = answerOffer(invite.body.toString('utf8'), local, this.#ctx.codecs, origin);
      if (!result.ok) {
        this.#state = 'rejected';
        channel.close();
        this.#tx.respond(488, { toTag: this.#localTag, headers: [header('Warning', `304 dialbridge "${result.reason}"`)] });
        throw new AppError('SDP_NOT_ACCEPTABLE', `the offer is not acceptable: ${result.reason}`, { details: { status: 488 } });
      }
      channel.update(result.media);
      held = result.held;
      body = result.answer;
    }
    const dialog = Dialog.asUas(invite, this.#localTag, this.#tx.source);
    const leg = new EmbeddedLeg(this.#ctx, {
      id: this.#legId,
      direction: 'inbound',
      facts: this.facts,
      channel,
      dialog,
      sessionId,
      held,
    });
    this.#state = 'answered';
    const response = this.#tx.respond(200, {
      toTag: this.#localTag,
      headers: [
        header('Contact', `<${this.#ctx.stack.contactUri(this.#tx.source.transport)}>`),
        header('Allow', ALLOWED_METHODS),
        header('Supported', ''),
      ].filter((h) => h.value !== ''),
      body: Buffer.from(body),
      contentType: 'application/sdp',
    });
    await leg.awaitInitialAck(response, this.#tx.responseTarget, lateOffer);
    return leg;
  }
}

/** A short random leg id. */
export function newLegId(): string {
  return `leg-${randomBytes(6).toString('hex')}`;
}
