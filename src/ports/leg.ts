import type { TypedEmitter } from '../lib/typed-emitter.ts';
import type { CallFacts } from './call-facts.ts';
import type {
  CollectOptions,
  CollectResult,
  DtmfSource,
  PlayOptions,
  PlayResult,
  RecordOptions,
  RecordResult,
} from './media-options.ts';

/** Why a leg ended. `remote`: the far end hung up (BYE/CANCEL); `local`: we hung up. */
export interface HangupCause {
  readonly by: 'remote' | 'local' | 'media-timeout' | 'engine';
  /** A short machine-readable reason, e.g. `bye`, `cancel`, `rtp-timeout`, `shutdown`. */
  readonly reason: string;
}

/** Events a leg reports. Exactly one `hangup` ends the leg. */
export interface LegEvents extends Record<string, unknown[]> {
  /** One DTMF digit, de-duplicated across RFC 4733, SIP INFO and in-band sources. */
  dtmf: [digit: string, source: DtmfSource];
  /** The far end put the call on hold (`true`, SDP sendonly/inactive) or took it off (`false`). */
  hold: [held: boolean];
  /** The terminal event: the leg is gone; every later method rejects with `LEG_GONE`. */
  hangup: [cause: HangupCause];
}

/**
 * One answered call (inbound or outbound) and its media.
 *
 * Lifecycle: a leg exists only once answered. `hangup()` is the graceful close (sends BYE,
 * stops media, settles every pending operation with `stopped`); `destroy()` is forceful (no
 * signalling if impossible). Both are idempotent. Exactly one `hangup` event is emitted,
 * whichever side ended the call. After it, `closed` is true and every method rejects with
 * an `AppError` coded `LEG_GONE`.
 *
 * Media operations settle, never hang: playback and recording end at the end of their
 * content, on their limits, on abort, or on hang-up.
 */
export interface Leg {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly facts: CallFacts;
  readonly closed: boolean;
  readonly events: TypedEmitter<LegEvents>;

  /**
   * Plays WAV files (8 kHz mono 16-bit) in sequence to this leg. One playback at a time: a
   * new `play` stops the previous one (which resolves `stopped`). While the leg is in a
   * bridge it hears the prompt mixed over the room audio (lowered when `duck` is set); a
   * prompt to one leg is never part of the room mix, so it is never in a room recording.
   */
  play(files: readonly string[], options?: PlayOptions): Promise<PlayResult>;
  /** Stops the current playback, if any (it resolves `stopped`). */
  stopPlayback(): void;
  /** Collects DTMF digits. Digits pressed before the call are not replayed; digits pressed during a barge-in prompt are. */
  collectDigits(options: CollectOptions): Promise<CollectResult>;
  /** Records what the far end says to a WAV file. */
  record(options: RecordOptions): Promise<RecordResult>;
  /** Sends a DTMF digit to the far end (RFC 4733). */
  sendDtmf(digits: string): Promise<void>;
  /** Graceful hang-up: sends BYE; resolves once the leg is closed. Idempotent. */
  hangup(reason?: string): Promise<void>;
  /** Forceful close, for faults. Idempotent. */
  destroy(err?: Error): void;
}
