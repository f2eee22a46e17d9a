/**
 * How long personal data is kept (PRODUCT-POLICY "Retention", DESIGN "Data lifecycle"), as a
 * pure policy: given now, an account's settings and a record's dates, what is due for
 * deletion. Recordings have their own rule (recording-retention.ts).
 *
 * - legs, leg events, CLIs, names, billing codes, conference rows: `months` after the
 *   conference started (12 by default; an account may override it within the operator's
 *   minimum and maximum); their billed minutes survive as anonymous aggregates;
 * - dial-out attempts (their destination numbers): the same `months` after the attempt;
 * - spoken-name clips: when the conference ends, or with the history when the account keeps them;
 * - PIN attempts: once older than the lockout window (lockout decisions no longer need them);
 * - a closed account and everything in it: `months` after it was closed.
 */

/** What the data-retention job deletes, by kind (the metric's fixed label set: never a number or id). */
export const RETENTION_DELETION_KINDS = ['conference', 'leg', 'leg-event', 'email', 'recording', 'name-clip', 'pin-attempt', 'dial-attempt', 'account'] as const;

/** One of {@link RETENTION_DELETION_KINDS}. */
export type RetentionDeletionKind = (typeof RETENTION_DELETION_KINDS)[number];

/** The server default: 12 months. */
export const DEFAULT_RETENTION_MONTHS = 12;

/** The operator's bounds on an account's override. */
export interface RetentionBounds {
  readonly minMonths: number;
  readonly maxMonths: number;
}

/** Bounds when the operator sets none: 1 month to 10 years. */
export const DEFAULT_RETENTION_BOUNDS: RetentionBounds = { minMonths: 1, maxMonths: 120 };

/** What the policy reads from an account. */
export interface RetentionSettings {
  /** The account's override in months; null: the default. */
  readonly retentionMonths: number | null;
  /** Spoken-name clips are kept with the history (else deleted when the conference ends). */
  readonly keepNameClips: boolean;
}

/** The months an account's service data is kept: its override clamped to the bounds, or the default. */
export function retentionMonths(settings: Pick<RetentionSettings, 'retentionMonths'>, bounds: RetentionBounds = DEFAULT_RETENTION_BOUNDS): number {
  const wanted = settings.retentionMonths ?? DEFAULT_RETENTION_MONTHS;
  return Math.min(bounds.maxMonths, Math.max(bounds.minMonths, wanted));
}

/**
 * `months` calendar months before `now` (UTC), clamped to the month's last day: 31 March
 * minus one month is 28 (or 29) February.
 */
export function monthsBefore(now: Date, months: number): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(now.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
}

/** Conferences of the account that started before this instant are due (with their legs, events, names, codes). */
export function serviceDataCutoff(now: Date, settings: Pick<RetentionSettings, 'retentionMonths'>, bounds?: RetentionBounds): Date {
  return monthsBefore(now, retentionMonths(settings, bounds));
}

/** Whether a conference that started at `startedAt` is due for deletion at `now`. */
export function conferenceDue(now: Date, startedAt: Date, settings: Pick<RetentionSettings, 'retentionMonths'>, bounds?: RetentionBounds): boolean {
  return startedAt.getTime() < serviceDataCutoff(now, settings, bounds).getTime();
}

/**
 * Whether a spoken-name clip of a conference is due: when the conference has ended, unless
 * the account keeps clips with the history (then it goes with the conference).
 */
export function nameClipDue(now: Date, conference: { readonly startedAt: Date; readonly endedAt: Date | null }, settings: RetentionSettings, bounds?: RetentionBounds): boolean {
  if (conference.endedAt === null) return false;
  if (!settings.keepNameClips) return true;
  return conferenceDue(now, conference.startedAt, settings, bounds);
}

/** PIN attempts made before this instant are of no further use (the lockout window and its lockout). */
export function pinAttemptCutoff(now: Date, lockout: { readonly windowMs: number; readonly lockoutMs: number }): Date {
  return new Date(now.getTime() - lockout.windowMs - lockout.lockoutMs);
}

/** Whether a closed account (and everything in it) is due: `months` after it was closed. */
export function closedAccountDue(now: Date, closedAt: Date | null, settings: Pick<RetentionSettings, 'retentionMonths'>, bounds?: RetentionBounds): boolean {
  if (closedAt === null) return false;
  return closedAt.getTime() < serviceDataCutoff(now, settings, bounds).getTime();
}
