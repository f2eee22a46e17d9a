/**
 * The recordings' life after the meeting (PRODUCT-POLICY "Recordings"): downloadable for 60
 * days after the conference ends, listed as expired after that, deleted at 90 days.
 */

const DAY_MS = 86_400_000;

/** Days after the conference end during which the host may download. */
export const DOWNLOAD_DAYS = 60;
/** Days after the conference end at which the file and its row are deleted. */
export const DELETE_DAYS = 90;

/** Where a recording is in its life. */
export type RecordingAvailability = 'available' | 'expired' | 'due-for-deletion';

/**
 * The availability at `now` of a recording of a conference that ended at `conferenceEndedAt`
 * (null: still running, so available).
 */
export function recordingAvailability(conferenceEndedAt: Date | null, now: Date): RecordingAvailability {
  if (conferenceEndedAt === null) return 'available';
  const age = now.getTime() - conferenceEndedAt.getTime();
  if (age >= DELETE_DAYS * DAY_MS) return 'due-for-deletion';
  if (age >= DOWNLOAD_DAYS * DAY_MS) return 'expired';
  return 'available';
}

/** When a recording stops being downloadable (null while its conference runs). */
export function downloadableUntil(conferenceEndedAt: Date | null): Date | null {
  return conferenceEndedAt === null ? null : new Date(conferenceEndedAt.getTime() + DOWNLOAD_DAYS * DAY_MS);
}

/** Conferences that ended at or before this instant have recordings due for deletion. */
export function deletionCutoff(now: Date): Date {
  return new Date(now.getTime() - DELETE_DAYS * DAY_MS);
}
