import { stringify } from 'csv-stringify/sync';
import type { ConferenceDetail, ConferenceSummary } from '../flows/history/history-views.ts';

/**
 * Text a person typed may start with `=`, `+`, `-` or `@`, which spreadsheets run as a
 * formula (CSV injection): such a value is prefixed with `'`.
 */
function text(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The history list as CSV, one conference a row. */
export function conferencesCsv(items: readonly ConferenceSummary[]): string {
  return stringify(
    items.map((c) => [c.id, text(c.roomName), c.hostUserId, c.startedAt, c.endedAt ?? '', c.durationSeconds, c.participantCount, text(c.billingCode), c.endReason ?? '']),
    { header: true, columns: ['conference_id', 'room', 'host_user_id', 'started_at', 'ended_at', 'duration_seconds', 'participants', 'billing_code', 'end_reason'] },
  );
}

/** A conference's participants as CSV, one stay a row (a withheld number is an empty cell). */
export function participantsCsv(c: ConferenceDetail): string {
  return stringify(
    c.participants.map((p) => [
      c.id,
      text(c.roomName),
      text(c.billingCode),
      p.stay,
      text(p.name),
      p.nameSource ?? '',
      p.number ?? '',
      p.numberWithheld ? 'yes' : 'no',
      p.direction,
      p.role,
      p.joinedAt,
      p.leftAt ?? '',
      p.durationSeconds,
      p.talkSeconds,
    ]),
    {
      header: true,
      columns: ['conference_id', 'room', 'billing_code', 'stay', 'name', 'name_source', 'number', 'number_withheld', 'direction', 'role', 'joined_at', 'left_at', 'duration_seconds', 'talk_seconds'],
    },
  );
}
