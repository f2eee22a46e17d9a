import type { ParticipantStay } from '../domain/history.ts';
import type { ConferenceSummaryFacts } from './conference-summary.ts';

/** A rendered email. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A number as the email shows it: only its last three digits; a withheld one as "withheld". */
export function emailNumber(p: Pick<ParticipantStay, 'number' | 'numberWithheld'>): string {
  if (p.numberWithheld || p.number === null) return 'withheld';
  return `••• ${p.number.replace(/\D/g, '').slice(-3)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function minutesAndSeconds(seconds: number): string {
  return `${String(Math.floor(seconds / 60))} min ${String(seconds % 60).padStart(2, '0')} s`;
}

function time(d: string | Date): string {
  return (typeof d === 'string' ? d : d.toISOString()).slice(11, 19);
}

/**
 * The post-conference email to the host, plain text and HTML: date, duration, room, billing
 * code, each stay (name, masked number, join and leave times, duration) and links to the
 * recordings. Numbers show their last three digits at most; a withheld one shows nothing.
 */
export function renderConferenceEmail(facts: ConferenceSummaryFacts, links: { recordingUrl: (id: string) => string }): RenderedEmail {
  const durationSeconds = Math.max(0, Math.round((facts.endedAt.getTime() - facts.startedAt.getTime()) / 1000));
  const date = facts.startedAt.toISOString().slice(0, 10);
  const subject = `Conference summary: ${facts.roomName}, ${date}`;
  const head: [string, string][] = [
    ['Room', facts.roomName],
    ['Date', `${date}, ${time(facts.startedAt)} to ${time(facts.endedAt)} UTC`],
    ['Duration', minutesAndSeconds(durationSeconds)],
    ['Billing code', facts.billingCode ?? 'none'],
  ];
  const rows = facts.participants.map((p) => ({
    name: p.name ?? 'Unknown',
    number: emailNumber(p),
    joined: time(p.joinedAt),
    left: p.leftAt === null ? '' : time(p.leftAt),
    duration: minutesAndSeconds(p.durationSeconds),
    note: p.stay > 1 ? ' (rejoined)' : '',
  }));
  const recordings = facts.recordingIds.map((id) => links.recordingUrl(id));

  const text = [
    subject,
    '',
    ...head.map(([k, v]) => `${k}: ${v}`),
    '',
    `Participants (${String(rows.length)}):`,
    ...rows.map((r) => `- ${r.name}${r.note}, ${r.number}, joined ${r.joined}, left ${r.left}, ${r.duration}`),
    '',
    ...(recordings.length === 0 ? ['No recording.'] : ['Recording:', ...recordings.map((u) => `- ${u}`)]),
    '',
  ].join('\n');

  const html = [
    `<html><body><h1>${escapeHtml(subject)}</h1>`,
    `<table>${head.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`,
    `<h2>Participants (${String(rows.length)})</h2>`,
    '<table><tr><th>Name</th><th>Number</th><th>Joined</th><th>Left</th><th>Duration</th></tr>',
    ...rows.map((r) => `<tr><td>${escapeHtml(r.name + r.note)}</td><td>${escapeHtml(r.number)}</td><td>${r.joined}</td><td>${r.left}</td><td>${escapeHtml(r.duration)}</td></tr>`),
    '</table>',
    recordings.length === 0 ? '<p>No recording.</p>' : `<p>Recording: ${recordings.map((u) => `<a href="${escapeHtml(u)}">${escapeHtml(u)}</a>`).join(', ')}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
