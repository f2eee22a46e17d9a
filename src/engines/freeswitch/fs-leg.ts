import type { Endpoint } from 'drachtio-fsmrf';
import type { EslEvent } from 'modesl';
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
  recordSessionCommand,
  recordSessionVars,
  setVarsCommand,
  recvDtmfCommand,
  sendDtmfCommand,
  stopPlayCommand,
  deafCommand,
  terminatorsVar,
  token,
} from './commands.ts';
import { deferred, type Deferred } from './deferred.ts';
import { DigitCollector } from './digit-collector.ts';
import { InjectedDigits, dtmfSourceOf, parseInfoDtmf } from './dtmf.ts';
import { MEDIA_RUN_MAX_MS, type EngineContext } from './leg-context.ts';
import { recordingHeardSpeech } from './recorded-speech.ts';
import { TypeAhead } from './type-ahead.ts';
import { isHoldOffer } from './sdp-hold.ts';

/** Where a leg sits in a room: the bridge's conference name and the member id FreeSWITCH gave it. */
export interface Membership {
  readonly conference: string;
  readonly memberId: string;
  /** Called when the leg leaves: `gone` when it hung up, not when it moves to another room. */
  readonly onLeave: (gone: boolean) => void;
  /** True while the room's owner keeps this member deaf (deafened or held): a ducked prompt must not undeafen it. */
  readonly deafByRoom?: () => boolean;
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
    // The channel's own socket reports when a leg recording ends (filtered to this channel by fsmrf).
    this.#ep.conn?.subscribe('RECORD_STOP');
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
        await this.#playOnce(files, spec, options.duck === true);
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
    const buffered: string[] = Array.from(ahead);
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

  /**
   * Records what the far end says, as a media-bug recording (`uuid_record`) rather than the
   * `record` application: its silence detection starts only after speech (FreeSWITCH's
   * RECORD_FINAL_TIMEOUT_MS; the application's counts silence from the start and ends a
   * recording nobody spoke into), and its limits are milliseconds rather than whole seconds.
   * Node ends it at `maxSeconds`, on the terminator digit, or on abort; FreeSWITCH ends it on
   * silence and reports that in RECORD_STOP (Record-Completion-Cause).
   */
  async record(options: RecordOptions): Promise<RecordResult> {
    this.#ensureOpen();
    if (this.#membership !== undefined) {
      throw new AppError('INVALID_TRANSITION', 'a leg records its own speech only outside a room');
    }
    const path = token(options.path, 'a recording path');
    if (options.terminator !== undefined && options.terminator !== '') terminatorsVar(options.terminator);
    this.stopPlayback();
    await this.#stopping;
    const maxMs = Math.max(0.1, options.maxSeconds) * 1000;
    const stopEvent = deferred<EslEvent | undefined>();
    const state: { reason: RecordResult['reason'] | undefined; started: boolean } = { reason: undefined, started: false };
    const end = (reason: RecordResult['reason']): void => {
      if (state.reason !== undefined) return;
      state.reason = reason;
      if (!state.started) stopEvent.resolve(undefined);
      else void this.#ctx.api(recordSessionCommand(this.uuid, 'stop', path)).catch(() => undefined);
    };
    const onStop = (evt: EslEvent): void => {
      if (evt.getHeader('Record-File-Path') === path) stopEvent.resolve(evt);
    };
    const stopEventName = `esl::event::RECORD_STOP::${this.uuid}`;
    this.#ep.conn?.on(stopEventName, onStop);
    const onAbort = (): void => {
      end('stopped');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted === true) onAbort();
    const sink = (digit: string): void => {
      if (options.terminator !== undefined && options.terminator !== '' && digit.toUpperCase() === options.terminator.toUpperCase()) end('terminator');
    };
    this.#digitSinks.add(sink);
    let timer: NodeJS.Timeout | undefined;
    const wallStart = Date.now();
    try {
      // One round trip: an abort soon after record() must find the recording started, not still setting variables.
      await this.#ctx.api(setVarsCommand(this.uuid, recordSessionVars(options.silenceMs ?? 0)));
      if (options.beep === true && state.reason === undefined) await this.#exec('playback', BEEP);
      let startedAt = Date.now();
      if (state.reason === undefined && !this.#closed) {
        const reply = await this.#ctx.api(recordSessionCommand(this.uuid, 'start', path, Math.ceil(options.maxSeconds) + 2));
        if (!reply.startsWith('+OK')) throw new AppError('MEDIA_FILE', 'the media server could not start the recording', { details: { path, reply: reply.slice(0, 200) } });
        state.started = true;
        startedAt = Date.now();
        // Stopped while it was starting: stop it now that it exists. (`end()` may have set
        // the reason during the await above; the compiler cannot see that.)
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (state.reason !== undefined) void this.#ctx.api(recordSessionCommand(this.uuid, 'stop', path)).catch(() => undefined);
        timer = setTimeout(() => {
          end('max');
        }, maxMs);
      }
      const evt = await this.#untilClosed(withTimeout(stopEvent.promise, maxMs + 10_000, 'record'));
      const cause = evt?.getHeader('Record-Completion-Cause') ?? '';
      const reason: RecordResult['reason'] =
        state.reason ?? (this.#closed || evt === undefined ? 'stopped' : cause === 'success-silence' ? 'silence' : 'max');
      const reported = Number(evt?.getHeader('variable_record_ms'));
      const durationMs = Number.isFinite(reported) && reported >= 0 && evt !== undefined ? reported : Math.max(0, Date.now() - startedAt);
      const heardSpeech = (await recordingHeardSpeech(path)) ?? (reason === 'silence' || durationMs > 300);
      return { path: options.path, durationMs, reason, heardSpeech };
    } finally {
      clearTimeout(timer);
      this.#digitSinks.delete(sink);
      this.#ep.conn?.removeListener(stopEventName, onStop);
      options.signal?.removeEventListener('abort', onAbort);
      this.#ctx.logger?.debug({ legId: this.id, ms: Date.now() - wallStart }, 'recording finished');
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

  async #playOnce(files: readonly string[], spec: string, duck: boolean): Promise<void> {
    const membership = this.#membership;
    if (membership !== undefined) {
      // In a room: member-only playback, mixed over the room audio. It is added to this
      // member's output only, so the room recording (a member of its own) never has it.
      this.#memberPlayDone = deferred<undefined>();
      const done = this.#memberPlayDone.promise;
      // Ducking: mod_conference scales a member's own file by its volume_out as well as the
      // room (conference_member_add_file_data), so lowering volume_out lowers the notice too.
      // A deaf member still gets its own file mixed in over silence: the room is taken away
      // under the prompt instead of lowered — unless the room already keeps the member deaf.
      const ducking = duck && membership.deafByRoom?.() !== true;
      if (ducking) await this.#ctx.api(deafCommand(membership.conference, membership.memberId, true)).catch(() => undefined);
      try {
        await this.#ctx.api(playCommand(membership.conference, files, membership.memberId));
        await this.#untilClosed(withTimeout(done, MEDIA_RUN_MAX_MS, 'member playback'));
      } finally {
        if (ducking && !this.#closed && membership.deafByRoom?.() !== true && this.#membership === membership) {
          await this.#ctx.api(deafCommand(membership.conference, membership.memberId, false)).catch(() => undefined);
        }
      }
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
