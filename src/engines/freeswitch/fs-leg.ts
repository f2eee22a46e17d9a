import type { Endpoint } from 'drachtio-fsmrf';
import type { SrfDialog, SrfRequest, SrfResponse } from 'drachtio-srf';
import { AppError, toAppError } from '../../lib/errors.ts';
import { TypedEmitter } from '../../lib/typed-emitter.ts';
import { withTimeout } from '../../lib/with-timeout.ts';
import type { CallFacts } from '../../ports/call-facts.ts';
import type { HangupCause, Leg, LegEvents } from '../../ports/leg.ts';
import type {
  CollectOptions,
  CollectResult,
  DtmfSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../ports/media-options.ts';
import {
  BEEP,
  breakCommand,
  fileSpec,
  killCommand,
  playCommand,
  recordArgs,
  recvDtmfCommand,
  sendDtmfCommand,
  stopPlayCommand,
  terminatorsVar,
} from './commands.ts';
import { deferred, type Deferred } from './deferred.ts';
import { DigitCollector } from './digit-collector.ts';
import { InjectedDigits, dtmfSourceOf, parseInfoDtmf } from './dtmf.ts';
import { MEDIA_RUN_MAX_MS, type EngineContext } from './leg-context.ts';
import { TypeAhead } from './type-ahead.ts';
import { isHoldOffer } from './sdp-hold.ts';

/** Where a leg sits in a room: the bridge's conference name and the member id FreeSWITCH gave it. */
export interface Membership {
  readonly conference: string;
  readonly memberId: string;
  /** Called when the leg leaves: `gone` when it hung up, not when it moves to another room. */
  readonly onLeave: (gone: boolean) => void;
}

interface Playback {
  readonly result: Deferred<PlayResult>;
  readonly bargeIn: boolean;
  done: boolean;
}

/** Cross-source duplicates of one key press (a phone sending RFC 4733 and INFO) arrive this close together. */
const CROSS_SOURCE_DEDUP_MS = 250;

/**
 * One answered call: a SIP dialog with the far end (drachtio) and a FreeSWITCH endpoint
 * carrying its media. Media operations use the endpoint's own event socket while the leg is
 * outside a room, and `conference … <member>` API commands while it is in one (the
 * `conference` application occupies the channel; anything executed on it would queue).
 *
 * (Over 400 lines on purpose: playback, collection, recording, DTMF and hang-up share the
 * leg's stop/closed/membership state, and splitting them would spread that state thin.)
 */
export class FsLeg implements Leg {
  readonly id: string;
  readonly events = new TypedEmitter<LegEvents>();
  readonly #ep: Endpoint;
  readonly #dialog: SrfDialog;
  readonly #ctx: EngineContext;
  readonly #closedSignal = deferred<undefined>();
  readonly #injected = new InjectedDigits();
  readonly #digitSinks = new Set<(digit: string) => void>();
  readonly #typeAhead = new TypeAhead();
  #closed = false;
  #playback: Playback | undefined;
  #membership: Membership | undefined;
  #memberPlayDone: Deferred<undefined> | undefined;
  #held = false;
  /** The last stop command sent, awaited before new media starts so it cannot cut the new one. */
  #stopping: Promise<unknown> = Promise.resolve();
  #lastDigit = { digit: '', source: 'rfc4733' as DtmfSource, at: 0 };

  constructor(
    readonly direction: 'inbound' | 'outbound',
    readonly facts: CallFacts,
    ep: Endpoint,
    dialog: SrfDialog,
    ctx: EngineContext,
  ) {
    this.id = ep.uuid;
    this.#ep = ep;
    this.#dialog = dialog;
    this.#ctx = ctx;
    this.events.onListenerError = (err, event) => ctx.logger?.error({ err, event, legId: this.id }, 'leg listener failed');
    ep.on('dtmf', (d) => {
      this.#onFsDigit(d.dtmf, d.source);
    });
    ep.on('destroy', () => {
      if (this.#closed) return;
      // FreeSWITCH ended the channel (uuid_kill, media timeout, or the server went away).
      void this.#dialog.destroy().catch(() => undefined);
      this.#finish({ by: 'engine', reason: 'media-server' });
    });
    dialog.on('destroy', () => {
      if (this.#closed) return;
      void this.#releaseChannel();
      this.#finish({ by: 'remote', reason: 'bye' });
    });
    dialog.on('modify', (req, res) => {
      void this.#onReinvite(req, res);
    });
    dialog.on('info', (req, res) => {
      this.#onInfo(req, res);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The FreeSWITCH channel UUID. */
  get uuid(): string {
    return this.#ep.uuid;
  }

  /** The room this leg is in, if any (set by the bridge). */
  get membership(): Membership | undefined {
    return this.#membership;
  }

  /** Sets up channel variables every leg needs; called once by the engine before handing the leg out. */
  async prepare(): Promise<void> {
    // Members stay up when a room ends or they are removed; recordings are 8 kHz WAV.
    await this.#exec('set', 'hangup_after_conference=false');
    await this.#exec('set', 'record_sample_rate=8000');
    await this.#exec('set', 'playback_terminators=none');
    if (this.#ctx.inbandDtmf) await this.#exec('start_dtmf', '');
  }

  /**
   * Enters the room: starts the `conference` application without waiting for it to end. A
   * prompt still playing on the channel is stopped first — the application would otherwise
   * queue behind it.
   */
  async startConference(args: string, onLeft: () => void): Promise<void> {
    this.#ensureOpen();
    this.stopPlayback();
    await this.#stopping;
    this.#ensureOpen();
    this.#ep
      .execute('conference', args)
      .then(onLeft, onLeft)
      .catch(() => undefined);
  }

  /** Set by the bridge when the leg joins or leaves. */
  setMembership(membership: Membership | undefined): void {
    this.#membership = membership;
    if (membership === undefined) this.#memberPlayDone?.resolve(undefined);
  }

  /** Routed by the bridge: a member-only playback finished. */
  memberPlayDone(): void {
    this.#memberPlayDone?.resolve(undefined);
  }

  async play(files: readonly string[], options: PlayOptions = {}): Promise<PlayResult> {
    this.#ensureOpen();
    const spec = fileSpec(files);
    this.stopPlayback();
    const playback: Playback = { result: deferred<PlayResult>(), bargeIn: options.bargeIn === true, done: false };
    this.#playback = playback;
    const onAbort = (): void => {
      this.#endPlayback(playback, { reason: 'stopped' });
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const run = async (): Promise<void> => {
      await this.#stopping;
      // Checked before every run, so that a playback stopped or aborted before it started plays nothing.
      while (!playback.done && !this.#closed) {
        await this.#playOnce(files, spec);
        if (options.loop !== true) break;
      }
      this.#endPlayback(playback, { reason: 'completed' }, false);
    };
    run().catch((err: unknown) => {
      if (!playback.done) {
        playback.done = true;
        playback.result.reject(toAppError(err, 'MEDIA_FILE'));
      }
    });
    try {
      return await playback.result.promise;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (this.#playback === playback) this.#playback = undefined;
    }
  }

  stopPlayback(): void {
    const playback = this.#playback;
    if (playback !== undefined) this.#endPlayback(playback, { reason: 'stopped' });
  }

  async collectDigits(options: CollectOptions): Promise<CollectResult> {
    this.#ensureOpen();
    // Digits that barged in a prompt (and those after them) count for this collection.
    const ahead = this.#typeAhead.take();
    const buffered: string[] = [...ahead];
    let collector: DigitCollector | undefined;
    const result = deferred<CollectResult>();
    const sink = (digit: string): void => {
      if (collector === undefined) buffered.push(digit);
      else collector.push(digit);
    };
    this.#digitSinks.add(sink);
    const stop = (): void => {
      collector ??= new DigitCollector(options, (r) => {
        result.resolve(r);
      });
      collector.stop();
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    void this.#closedSignal.promise.then(stop);
    try {
      if (options.signal?.aborted === true) stop();
      // The caller already answered by typing ahead: no prompt.
      if (options.prompt !== undefined && options.prompt.length > 0 && collector === undefined && ahead === '') {
        await this.play(options.prompt, { bargeIn: true, ...(options.signal ? { signal: options.signal } : {}) }).catch(
          (err: unknown) => {
            this.#ctx.logger?.warn({ err, legId: this.id }, 'collect prompt failed');
          },
        );
      }
      if (collector === undefined) {
        collector = new DigitCollector(options, (r) => {
          result.resolve(r);
        });
        for (const digit of buffered) collector.push(digit);
      }
      return await result.promise;
    } finally {
      this.#digitSinks.delete(sink);
      options.signal?.removeEventListener('abort', stop);
    }
  }

  async record(options: RecordOptions): Promise<RecordResult> {
    this.#ensureOpen();
    if (this.#membership !== undefined) {
      throw new AppError('INVALID_TRANSITION', 'a leg records its own speech only outside a room');
    }
    this.stopPlayback();
    await this.#stopping;
    // An object, so that the closure's writes are visible to the checks below.
    const state = { stopped: false };
    const stop = (): void => {
      if (state.stopped) return;
      state.stopped = true;
      void this.#ctx.api(breakCommand(this.uuid)).catch(() => undefined);
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted === true) stop();
    const started = Date.now();
    try {
      await this.#exec('set', terminatorsVar(options.terminator));
      if (options.beep === true && !state.stopped) await this.#exec('playback', BEEP);
      const recordStarted = Date.now();
      const evt = state.stopped
        ? undefined
        : await this.#untilClosed(
            withTimeout(
              this.#ep.execute('record', recordArgs(options.path, options.maxSeconds, options.silenceMs ?? 0)),
              Math.min(MEDIA_RUN_MAX_MS, (options.maxSeconds + 10) * 1000),
              'record',
            ),
          );
      const reported = Number(evt?.getHeader('variable_record_ms'));
      const durationMs = Number.isFinite(reported) && reported > 0 ? reported : Date.now() - recordStarted;
      const terminated = (evt?.getHeader('variable_playback_terminator_used') ?? '') !== '';
      const silence = evt?.getHeader('variable_silence_hits_exhausted') === 'true';
      const reason: RecordResult['reason'] =
        state.stopped || this.#closed || evt === undefined ? 'stopped' : terminated ? 'terminator' : silence ? 'silence' : 'max';
      // FreeSWITCH does not report voice activity for `record`; a recording that ended on
      // silence no longer than the silence window itself heard nobody.
      const heardSpeech = reason === 'silence' ? durationMs > (options.silenceMs ?? 0) + 300 : durationMs > 300;
      return { path: options.path, durationMs, reason, heardSpeech };
    } finally {
      options.signal?.removeEventListener('abort', stop);
      if (!this.#closed) await this.#exec('set', 'playback_terminators=none').catch(() => undefined);
      this.#ctx.logger?.debug({ legId: this.id, ms: Date.now() - started }, 'recording finished');
    }
  }

  async sendDtmf(digits: string): Promise<void> {
    this.#ensureOpen();
    await this.#ctx.api(sendDtmfCommand(this.uuid, digits));
  }

  async hangup(reason = 'local'): Promise<void> {
    if (this.#closed) return;
    const timeout = this.#ctx.operationTimeoutMs;
    // BYE to the caller first, then release the FreeSWITCH channel.
    await withTimeout(this.#dialog.destroy(), timeout, 'dialog destroy').catch((err: unknown) => {
      this.#ctx.logger?.warn({ err, legId: this.id }, 'BYE failed');
    });
    await this.#releaseChannel();
    this.#finish({ by: 'local', reason });
  }

  destroy(err?: Error): void {
    if (this.#closed) return;
    if (err !== undefined) this.#ctx.logger?.warn({ err, legId: this.id }, 'leg destroyed');
    void this.#dialog.destroy().catch(() => undefined);
    void this.#releaseChannel();
    this.#finish({ by: 'engine', reason: err === undefined ? 'destroyed' : 'fault' });
  }

  /** Forces the terminal state when the engine loses the channel for good. */
  lost(reason: string): void {
    this.#finish({ by: 'engine', reason });
  }

  /**
   * Ends the FreeSWITCH channel. `uuid_kill` works whatever the channel is doing; fsmrf's
   * `destroy()` executes `hangup`, which would queue behind a running `conference`
   * application and never run — it is only the fallback when the control line is down.
   */
  async #releaseChannel(): Promise<void> {
    const timeout = this.#ctx.operationTimeoutMs;
    try {
      await this.#ctx.api(killCommand(this.uuid));
    } catch {
      await withTimeout(this.#ep.destroy(), timeout, 'endpoint destroy').catch(() => undefined);
    }
  }

  async #playOnce(files: readonly string[], spec: string): Promise<void> {
    const membership = this.#membership;
    if (membership !== undefined) {
      // In a room: member-only playback, mixed over the room audio.
      this.#memberPlayDone = deferred<undefined>();
      const done = this.#memberPlayDone.promise;
      await this.#ctx.api(playCommand(membership.conference, files, membership.memberId));
      await this.#untilClosed(withTimeout(done, MEDIA_RUN_MAX_MS, 'member playback'));
      return;
    }
    const evt = await this.#untilClosed(withTimeout(this.#ep.execute('playback', spec), MEDIA_RUN_MAX_MS, 'playback'));
    if (evt?.getHeader('Application-Response') === 'FILE NOT FOUND') {
      throw new AppError('MEDIA_FILE', 'prompt file not found on the media server', { details: { files } });
    }
  }

  #endPlayback(playback: Playback, result: PlayResult, interruptMedia = true): void {
    if (playback.done) return;
    playback.done = true;
    playback.result.resolve(result);
    if (!interruptMedia || this.#closed) return;
    const membership = this.#membership;
    const command =
      membership === undefined ? breakCommand(this.uuid) : stopPlayCommand(membership.conference, membership.memberId);
    this.#memberPlayDone?.resolve(undefined);
    this.#stopping = this.#ctx.api(command).catch((err: unknown) => {
      this.#ctx.logger?.debug({ err, legId: this.id }, 'stop playback failed');
    });
  }

  #onFsDigit(digit: string, sourceHeader: string | undefined): void {
    const source = dtmfSourceOf(sourceHeader);
    if (source !== 'rfc4733' && this.#injected.isEcho(digit)) return;
    this.#emitDigit(digit, source);
  }

  #onInfo(req: SrfRequest, res: SrfResponse): void {
    try {
      const digit = parseInfoDtmf(req.get('content-type'), req.body);
      res.send(200);
      if (digit === undefined || this.#closed) return;
      // FreeSWITCH never sees SIP INFO (it reaches drachtio): inject it so that its own
      // terminators (recording with `#`) work, and report it here once.
      this.#injected.note(digit);
      void this.#ctx.api(recvDtmfCommand(this.uuid, digit)).catch((err: unknown) => {
        this.#ctx.logger?.debug({ err, legId: this.id }, 'uuid_recv_dtmf failed');
      });
      this.#emitDigit(digit, 'sip-info');
    } catch (err) {
      this.#ctx.logger?.warn({ err, legId: this.id }, 'bad INFO');
    }
  }

  #emitDigit(digit: string, source: DtmfSource): void {
    if (this.#closed) return;
    const now = Date.now();
    const last = this.#lastDigit;
    if (last.digit === digit && last.source !== source && now - last.at < CROSS_SOURCE_DEDUP_MS) return;
    this.#lastDigit = { digit, source, at: now };
    this.events.safeEmit('dtmf', digit, source);
    const playback = this.#playback;
    const interrupts = playback?.bargeIn === true && !playback.done;
    if (this.#digitSinks.size === 0) this.#typeAhead.note(digit, interrupts);
    for (const sink of [...this.#digitSinks]) sink(digit);
    if (playback !== undefined && interrupts) this.#endPlayback(playback, { reason: 'interrupted', digit });
  }

  async #onReinvite(req: SrfRequest, res: SrfResponse): Promise<void> {
    // drachtio would answer an unhandled re-INVITE with the old SDP; FreeSWITCH must learn
    // the new one, and its answer goes back to the far end (FIELD-NOTES).
    try {
      const body = req.body ?? '';
      const answer = await withTimeout(this.#ep.modify(body), this.#ctx.operationTimeoutMs, 're-INVITE');
      res.send(200, { body: typeof answer === 'string' && answer !== '' ? answer : this.#ep.local.sdp, headers: { 'Content-Type': 'application/sdp' } });
      const held = body !== '' && isHoldOffer(body);
      if (held !== this.#held) {
        this.#held = held;
        this.events.safeEmit('hold', held);
      }
    } catch (err) {
      this.#ctx.logger?.warn({ err, legId: this.id }, 're-INVITE failed');
      try {
        res.send(488);
      } catch {
        // The transaction may be gone already.
      }
    }
  }

  async #exec(app: string, arg: string): Promise<void> {
    await this.#untilClosed(withTimeout(this.#ep.execute(app, arg), this.#ctx.operationTimeoutMs, app));
  }

  /** Settles with `undefined` as soon as the leg closes, whatever `promise` does. */
  async #untilClosed<T>(promise: Promise<T>): Promise<T | undefined> {
    promise.catch(() => undefined);
    return Promise.race([promise, this.#closedSignal.promise]);
  }

  #ensureOpen(): void {
    if (this.#closed) throw new AppError('LEG_GONE', 'the leg has hung up', { details: { legId: this.id } });
  }

  #finish(cause: HangupCause): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closedSignal.resolve(undefined);
    const playback = this.#playback;
    if (playback !== undefined && !playback.done) {
      playback.done = true;
      playback.result.resolve({ reason: 'stopped' });
    }
    this.#memberPlayDone?.resolve(undefined);
    this.#membership?.onLeave(true);
    this.#membership = undefined;
    this.events.safeEmit('hangup', cause);
  }
}
