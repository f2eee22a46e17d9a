/** Options for playing prompts to one leg. */
export interface PlayOptions {
  /** A DTMF digit stops playback (the digit is still reported and still collected). */
  readonly bargeIn?: boolean;
  /** Repeat the sequence until stopped (hold or wait-for-host music). */
  readonly loop?: boolean;
  /** Abort the playback when this signal fires. */
  readonly signal?: AbortSignal;
  /**
   * While the leg is in a bridge, lower the room audio it hears by about 18 dB under the
   * prompt, so a notice that must be understood (recording consent) is not drowned by
   * talkers. Only this leg's audio changes; nothing is added to the room mix or its recording.
   */
  readonly duck?: boolean;
}

/** How a playback ended. */
export interface PlayResult {
  /** `completed`: every file played; `interrupted`: a digit barged in; `stopped`: stopPlayback, abort, or hang-up. */
  readonly reason: 'completed' | 'interrupted' | 'stopped';
  /** The digit that interrupted it, when `reason` is `interrupted`. */
  readonly digit?: string;
}

/** Options for collecting digits on one leg. */
export interface CollectOptions {
  readonly minDigits: number;
  readonly maxDigits: number;
  /** A digit that ends collection early (not included in the result), e.g. `#`. */
  readonly terminator?: string;
  /** How long to wait for the first digit, in ms. */
  readonly firstDigitTimeoutMs: number;
  /** How long to wait between digits, in ms. */
  readonly interDigitTimeoutMs: number;
  /** Prompts played while waiting; a digit stops them (barge-in). */
  readonly prompt?: readonly string[];
  readonly signal?: AbortSignal;
}

/** What digit collection produced. */
export interface CollectResult {
  /** The digits collected, terminator excluded. */
  readonly digits: string;
  /**
   * `max`: maxDigits reached; `terminator`: the terminator was pressed; `timeout`: a timeout
   * passed (digits may hold a partial entry); `stopped`: aborted or hung up.
   */
  readonly reason: 'max' | 'terminator' | 'timeout' | 'stopped';
}

/** Options for recording what one leg says (a spoken name). */
export interface RecordOptions {
  /** Where the 8 kHz mono 16-bit WAV goes. */
  readonly path: string;
  readonly maxSeconds: number;
  /** End after this much continuous silence once speech was heard (ms); 0 disables. */
  readonly silenceMs?: number;
  /** A digit that ends the recording, e.g. `#`. */
  readonly terminator?: string;
  /** Play a short beep before recording starts. */
  readonly beep?: boolean;
  readonly signal?: AbortSignal;
}

/** What a recording produced. */
export interface RecordResult {
  readonly path: string;
  readonly durationMs: number;
  /** `max`, `silence`, `terminator`, `stopped` (abort or hang-up; the file is still finalised). */
  readonly reason: 'max' | 'silence' | 'terminator' | 'stopped';
  /** Whether any speech (energy above the talking threshold) was heard. */
  readonly heardSpeech: boolean;
}

/** Where a DTMF digit came from. */
export type DtmfSource = 'rfc4733' | 'sip-info' | 'inband';
