import { stringify } from 'csv-stringify/sync';
import { csvText } from './csv-text.ts';
import type { ConferenceDetail, ConferenceSummary } from '../flows/history/history-views.ts';

/** The history list as CSV, one conference a row. */
export function conferencesCsv(items: readonly ConferenceSummary[]): string {
  return stringify(
    items.map((c) => [c.id, csvText(c.roomName), c.hostUserId, c.startedAt, c.endedAt ?? '', c.durationSeconds, c.participantCount, csvText(c.billingCode), c.endReason ?? '']),
    { header: true, columns: ['conference_id', 'room', 'host_user_id', 'started_at', 'ended_at', 'duration_seconds', 'participants', 'billing_code', 'end_reason'] },
  );
}

/** A conference's participants as CSV, one stay a row (a withheld number is an empty cell). */
export function participantsCsv(c: ConferenceDetail): string {
  return stringify(
    c.participants.map((p) => [
      c.id,
      csvText(c.roomName),
      csvText(c.billingCode),
      p.stay,
      csvText(p.name),
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
