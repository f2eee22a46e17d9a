import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { DialPolicy } from '../domain/dial-policy.ts';
import type { KeypadMap } from '../domain/keypad-map.ts';
import type { NameLookupService } from '../domain/name-lookup.ts';
import type { LockoutPolicy } from '../domain/pin-lockout.ts';
import type { MediaEngine } from '../ports/engine.ts';
import type { Store } from '../storage/store.ts';
import type { Timers } from './timers.ts';
import type { CallMetrics } from './call-metrics.ts';
import type { AdmissionSettings } from './call-admission.ts';

/** What the conference runtime is built from; `main.ts` (server.ts) and tests create it. */
export interface ConferenceRuntimeDeps {
  readonly engine: MediaEngine;
  readonly store: Store;
  readonly clock: Clock;
  /** Timers for long delays (the host-left grace); default Node's, unref'd. */
  readonly timers?: Timers;
  readonly logger: Logger;
  /** Where the prompts are (the repository's `sounds/`). */
  readonly soundsDir: string;
  /** Where spoken names go (in `names/` below it). */
  readonly recordingsDir: string;
  readonly keypadMap: KeypadMap;
  readonly lockoutPolicy: LockoutPolicy;
  /** Longest spoken-name recording, in seconds (3 is good). */
  readonly nameMaxSeconds: number;
  /** Country for numbers received in national format; none: only international numbers are normalised. */
  readonly defaultCountry?: CountryCode;
  /** Accept calls from addresses no trunk lists (development; default true). False: they get 403. */
  readonly openInbound?: boolean;
  /** The operator's dial policy (accounts may be stricter); default DEFAULT_DIAL_POLICY. */
  readonly dialPolicy?: DialPolicy;
  /** How long a dial-out rings before it counts as no answer, ms; default 30 000. */
  readonly dialRingTimeoutMs?: number;
  /** The back-end look-up of callers' numbers (users, contacts, directory); none: no look-up. */
  readonly names?: NameLookupService;
  /** Told (synchronously, after the end is stored) that a conference ended: the post-conference email. Must not throw or block. */
  readonly onConferenceEnded?: (conferenceId: string) => void;
  /** PIN entries per call before goodbye; default 3. */
  readonly pinTries?: number;
  /** Wait for the first PIN digit, ms; default 10 000. */
  readonly pinFirstDigitTimeoutMs?: number;
  /** Wait between PIN digits, ms; default 5 000. */
  readonly pinInterDigitTimeoutMs?: number;
  /** What the flows count for the operator's metrics; default nothing. */
  readonly metrics?: CallMetrics;
  /** Admission control of new calls (call-admission.ts); default `DEFAULT_ADMISSION`. */
  readonly admission?: AdmissionSettings;
  /** Recent event-loop lag in ms, for the saturation guard; default: never saturated. */
  readonly loopLagMs?: () => number;
  /** Share of the last second the event loop was busy, 0–1, for the same guard; default: never busy. */
  readonly loopBusy?: () => number;
}
