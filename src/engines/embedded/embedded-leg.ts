/**
 * One answered call of the embedded engine. Signalling (BYE both ways, re-INVITE hold,
 * INFO DTMF, in-dialog OPTIONS) is handled here; media methods are delegated to the leg's
 * {@link MediaChannel}. Exactly one `hangup` event; afterwards every method rejects `LEG_GONE`.
 */
import { AppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { HangupCause, Leg, LegEvents } from '../../ports/leg.ts';
import type {
  CollectOptions,
  CollectResult,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../ports/media-options.ts';
import type { DialogOwner, EngineContext } from './engine-context.ts';
import type { MediaChannel } from './media/media-channel.ts';
import { answerOffer } from './sdp/sdp-answer.ts';
import type { SdpOrigin } from './sdp/sdp-build.ts';
import { acceptAnswer, createOffer } from './sdp/sdp-offer.ts';
import { dtmfFromInfo } from './sip-info-dtmf.ts';
import type { Dialog } from './sip/dialog.ts';
import { parseCSeq } from './sip/cseq.ts';
import { getHeader, header, type SipHeader, type SipRequest, type SipResponse } from './sip/sip-message.ts';
import { ALLOWED_METHODS } from './sip/sip-responses.ts';
import type { ServerTransaction } from './sip/sip-stack.ts';
import type { SipPeer } from './sip/sip-transport.ts';
import { retransmit2xx, type Retransmission } from './sip/uas-2xx-retransmitter.ts';

const SDP = 'application/sdp';

/** Construction parameters of {@link EmbeddedLeg}. */
export interface EmbeddedLegInit {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly facts: CallFacts;
  readonly channel: MediaChannel;
  readonly dialog: Dialog;
  readonly sessionId: string;
  readonly held?: boolean;
}

/** A live call of the embedded engine. */
export class EmbeddedLeg implements Leg, DialogOwner {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly facts: CallFacts;
  readonly events = new TypedEmitter<LegEvents>();
  /** The leg's media; the mixer bridge reaches it through the engine. */
  readonly channel: MediaChannel;
  readonly dialog: Dialog;
  readonly #ctx: EngineContext;
  #closed = false;
  #held: boolean;
  #origin: SdpOrigin;
  #retransmission: Retransmission | undefined;
  #ackWaiter: { resolve: () => void; reject: (err: AppError) => void; lateOffer: boolean } | undefined;
  #reinviteAwaitingAck: { lateOffer: boolean } | undefined;
  #byePromise: Promise<void> | undefined;
  /** Releases the TCP connection the dialog keeps open (a no-op over UDP). */
  readonly #releaseFlow: () => void;

  constructor(ctx: EngineContext, init: EmbeddedLegInit) {
    this.#ctx = ctx;
    this.id = init.id;
    this.direction = init.direction;
    this.facts = init.facts;
    this.channel = init.channel;
    this.dialog = init.dialog;
    this.#held = init.held ?? false;
    this.#origin = { sessionId: init.sessionId, version: 1 };
    this.events.onListenerError = (err, event) => ctx.logger?.warn({ err, event, legId: this.id }, 'leg listener failed');
    this.channel.events.on('dtmf', (digit, source) => {
      if (!this.#closed) this.events.safeEmit('dtmf', digit, source);
    });
    this.channel.events.on('foreign-dtmf', () => { ctx.guard('dtmf-spoofed'); });
    this.channel.events.on('media-timeout', () => {
      this.#end({ by: 'media-timeout', reason: 'rtp-timeout' }, true);
    });
    ctx.dialogs.set(this.dialog.key, this);
    ctx.legs.add(this);
    this.#releaseFlow = this.dialog.flow?.transport === 'tcp' ? ctx.stack.transport.retain(this.dialog.flow.connectionId) : () => undefined;
    // An outbound leg exists once the 2xx arrived and our ACK goes out: its media may flow now.
    if (init.direction === 'outbound') this.channel.confirm();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the far end holds the call. */
  get held(): boolean {
    return this.#held;
  }

  /** The next SDP version for our o= line (RFC 4566 §5.2). */
  nextOrigin(): SdpOrigin {
    this.#origin = { sessionId: this.#origin.sessionId, version: this.#origin.version + 1 };
    return this.#origin;
  }

  #gone(): AppError {
    return new AppError('LEG_GONE', 'the call has ended', { details: { legId: this.id } });
  }

  // Media: delegated to the channel after the liveness check.

  async play(files: readonly string[], options?: PlayOptions): Promise<PlayResult> {
    if (this.#closed) throw this.#gone();
    return this.channel.play(files, options);
  }

  stopPlayback(): void {
    if (!this.#closed) this.channel.stopPlayback();
  }

  async collectDigits(options: CollectOptions): Promise<CollectResult> {
    if (this.#closed) throw this.#gone();
    return this.channel.collectDigits(options);
  }

  async record(options: RecordOptions): Promise<RecordResult> {
    if (this.#closed) throw this.#gone();
    return this.channel.record(options);
  }

  async sendDtmf(digits: string): Promise<void> {
    if (this.#closed) throw this.#gone();
    return this.channel.sendDtmf(digits);
  }

  /** Graceful hang-up: BYE, resolves once the BYE was answered or gave up (bounded). */
  async hangup(reason?: string): Promise<void> {
    if (this.#closed) {
      await this.#byePromise;
      return;
    }
    this.#end({ by: 'local', reason: reason ?? 'hangup' }, true);
    await this.#byePromise;
  }

  /** Forceful close: media stops now; a BYE is still attempted, not awaited. */
  destroy(err?: Error): void {
    this.#end({ by: 'local', reason: err === undefined ? 'destroyed' : 'error' }, true);
  }

  /** Ends the leg for the engine (shutdown). */
  endByEngine(reason: string): Promise<void> {
    this.#end({ by: 'engine', reason }, true);
    return this.#byePromise ?? Promise.resolve();
  }

  /**
   * Waits for the ACK of our initial 2xx (§13.3.1.4), retransmitting it. With a late offer
   * the ACK carries the answer. Rejects `LEG_GONE` when no ACK arrives or the call ends first.
   */
  awaitInitialAck(response: SipResponse, target: SipPeer, lateOffer: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#closed) {
        reject(this.#gone());
        return;
      }
      this.#ackWaiter = { resolve, reject, lateOffer };
      this.#startRetransmit(response, target);
    });
  }

  #startRetransmit(response: SipResponse, target: SipPeer): void {
    this.#retransmission?.cancel();
    const stack = this.#ctx.stack;
    this.#retransmission = retransmit2xx(
      stack.clock,
      stack.timers,
      target.transport === 'tcp',
      () => { stack.sendRaw(response, target); },
      () => {
        this.#ctx.logger?.warn({ legId: this.id }, 'sip no ack for 2xx');
        this.#end({ by: 'remote', reason: 'ack-timeout' }, true);
      },
    );
  }

  /** §13.3.1.4: the ACK for our 2xx. */
  onAck(request: SipRequest): void {
    if (this.#closed) return;
    const waiter = this.#ackWaiter;
    const reinvite = this.#reinviteAwaitingAck;
    this.#retransmission?.acked();
    this.#retransmission = undefined;
    this.#ackWaiter = undefined;
    this.#reinviteAwaitingAck = undefined;
    const lateOffer = waiter?.lateOffer ?? reinvite?.lateOffer ?? false;
    if (lateOffer) {
      const result = request.body.length > 0 ? acceptAnswer(request.body.toString('utf8'), this.#ctx.codecs) : undefined;
      if (!result?.ok) {
        this.#ctx.logger?.warn({ legId: this.id }, 'sip late answer unusable');
        this.#end({ by: 'local', reason: 'sdp-not-acceptable' }, true);
        waiter?.reject(new AppError('SDP_NOT_ACCEPTABLE', 'the answer in the ACK is not acceptable'));
        return;
      }
      this.channel.update(result.media);
      this.#setHeld(result.held);
    }
    // The dialog is confirmed: only now may RTP go to the address the offer named (no reflection before ACK).
    this.channel.confirm();
    waiter?.resolve();
  }

  /** An in-dialog request (§12.2.2). */
  onRequest(tx: ServerTransaction): void {
    const request = tx.request;
    if (this.#closed) {
      tx.respond(481);
      return;
    }
    if (!this.dialog.acceptRemoteSeq(request)) {
      tx.respond(500, { reason: 'CSeq Out Of Order' });
      return;
    }
    switch (request.method) {
      case 'BYE':
        tx.respond(200);
        this.#end({ by: 'remote', reason: 'bye' }, false);
        return;
      case 'INVITE':
        this.#onReinvite(tx);
        return;
      case 'INFO':
        this.#onInfo(tx);
        return;
      case 'OPTIONS':
        tx.respond(200, { headers: [header('Allow', ALLOWED_METHODS), header('Accept', SDP)] });
        return;
      default:
        tx.respond(405, { headers: [header('Allow', ALLOWED_METHODS)] });
    }
  }

  #onInfo(tx: ServerTransaction): void {
    const request = tx.request;
    const type = getHeader(request, 'content-type');
    if (request.body.length === 0) {
      tx.respond(200);
      return;
    }
    const digit = dtmfFromInfo(type, request.body);
    if (digit === undefined) {
      tx.respond(415, { headers: [header('Accept', 'application/dtmf-relay, application/dtmf')] });
      return;
    }
    tx.respond(200);
    this.channel.injectDtmf(digit, 'sip-info');
  }

  /** §14.2: a re-INVITE: hold/resume or a new media address. */
  #onReinvite(tx: ServerTransaction): void {
    const request = tx.request;
    if (this.#retransmission !== undefined) {
      // §14.2: a re-INVITE while our previous 2xx is not yet ACKed.
      tx.respond(491);
      return;
    }
    this.dialog.refreshTarget(request);
    const local = { address: this.channel.localAddress, port: this.channel.localPort };
    let body: string;
    let lateOffer = false;
    if (request.body.length === 0) {
      // A re-INVITE without SDP asks us to offer (§14.2); the answer comes in the ACK.
      body = createOffer(local, this.#ctx.codecs, this.nextOrigin());
      lateOffer = true;
    } else {
      const result = answerOffer(request.body.toString('utf8'), local, this.#ctx.codecs, this.nextOrigin());
      if (!result.ok) {
        tx.respond(488, { toTag: this.dialog.localTag, reason: `Not Acceptable Here (${result.reason})` });
        return;
      }
      this.channel.update(result.media);
      this.#setHeld(result.held);
      body = result.answer;
    }
    const response = tx.respond(200, {
      toTag: this.dialog.localTag,
      headers: this.#contactHeaders(),
      body: Buffer.from(body),
      contentType: SDP,
    });
    this.#reinviteAwaitingAck = { lateOffer };
    this.#startRetransmit(response, tx.responseTarget);
  }

  #contactHeaders(): SipHeader[] {
    return [
      header('Contact', `<${this.#ctx.stack.contactUri(this.dialog.transport)}>`),
      header('Allow', ALLOWED_METHODS),
    ];
  }

  #setHeld(held: boolean): void {
    if (held === this.#held) return;
    this.#held = held;
    this.events.safeEmit('hold', held);
  }

  /** A retransmitted 2xx to our INVITE: the ACK was lost, send it again (§13.2.2.4). */
  onStray2xx(response: SipResponse): void {
    if (this.#closed || this.direction !== 'outbound') return;
    const seq = parseCSeq(getHeader(response, 'cseq') ?? '')?.seq ?? this.dialog.localSeq;
    void this.#sendAck(seq);
  }

  async #sendAck(seq: number): Promise<void> {
    try {
      const ack = this.dialog.createAck(seq);
      const dest = await this.dialog.nextHop();
      ack.headers.unshift(header('Via', this.#ctx.stack.via(dest.transport)));
      this.#ctx.stack.sendRaw(ack, dest);
    } catch (err) {
      this.#ctx.logger?.debug({ err, legId: this.id }, 'sip ack failed');
    }
  }

  #end(cause: HangupCause, sendBye: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#retransmission?.cancel();
    this.#retransmission = undefined;
    try {
      this.channel.close();
    } catch (err) {
      this.#ctx.logger?.warn({ err, legId: this.id }, 'media channel close failed');
    }
    this.#ctx.dialogs.delete(this.dialog.key);
    this.#ctx.legs.delete(this);
    this.#releaseFlow();
    const waiter = this.#ackWaiter;
    this.#ackWaiter = undefined;
    // The answer's promise says why: a 2xx never ACKed is `no-ack`; a BYE before the ACK is `bye`.
    waiter?.reject(
      cause.reason === 'ack-timeout'
        ? new AppError('LEG_GONE', 'the caller never acknowledged the answer', { details: { legId: this.id, reason: 'no-ack' } })
        : new AppError('LEG_GONE', 'the call ended before it was acknowledged', { details: { legId: this.id, reason: cause.reason } }),
    );
    this.#byePromise = sendBye ? this.#sendBye() : Promise.resolve();
    this.#ctx.logger?.debug({ legId: this.id, by: cause.by, reason: cause.reason }, 'sip leg ended');
    this.events.safeEmit('hangup', cause);
  }

  /** Sends BYE (§15.1.1); resolves on its final response, its timeout, or after 5 s at most. */
  async #sendBye(): Promise<void> {
    const stack = this.#ctx.stack;
    try {
      const dest = await this.dialog.nextHop();
      const bye = this.dialog.createRequest('BYE');
      await new Promise<void>((resolve) => {
        const guard = stack.clock.setTimer(5000, resolve);
        stack.request(bye, dest, {
          onResponse: (r) => {
            if (r.status >= 200) {
              guard.cancel();
              resolve();
            }
          },
          onTimeout: () => {
            guard.cancel();
            resolve();
          },
        });
      });
    } catch (err) {
      this.#ctx.logger?.debug({ err, legId: this.id }, 'sip bye failed');
    }
  }
}
