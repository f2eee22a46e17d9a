import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import archiver from 'archiver';
import type { DataSubject } from '../domain/data-request.ts';
import { countsOf, type SubjectFindings } from './subject-findings.ts';

/** A file the manifest refers to: where it is in the zip and whether it was there to copy. */
interface ArchivedFile {
  readonly kind: 'name-clip' | 'recording';
  readonly id: string;
  readonly file: string | null;
}

/** The manifest: every record held about the subject, and the files beside it in the zip. */
export function manifestOf(subject: DataSubject, findings: SubjectFindings, generatedAt: Date): { manifest: Record<string, unknown>; files: { path: string; name: string }[] } {
  const files: { path: string; name: string }[] = [];
  const archived: ArchivedFile[] = [];
  const add = (kind: ArchivedFile['kind'], id: string, path: string | null): string | null => {
    if (path === null || !existsSync(path)) {
      archived.push({ kind, id, file: null });
      return null;
    }
    const name = `${kind === 'name-clip' ? 'name-clips' : 'recordings'}/${id}-${basename(path)}`;
    files.push({ path, name });
    archived.push({ kind, id, file: name });
    return name;
  };
  const legs = findings.legs.map((l) => ({
    id: l.id,
    accountId: l.account_id,
    roomId: l.room_id,
    roomName: l.room_name,
    conferenceId: l.conference_id,
    direction: l.direction,
    role: l.role,
    state: l.state,
    callerNumber: l.cli_number,
    callerAsReceived: l.cli_raw,
    callerDisplayName: l.cli_display_name,
    numberWithheld: l.cli_withheld === 1,
    names: { typed: l.typed_name, hostAssigned: l.host_assigned_name, lookedUp: l.looked_up_name, lookedUpSource: l.looked_up_source },
    spokenNameClip: add('name-clip', l.id, l.spoken_name_path),
    createdAt: l.created_at,
    joinedAt: l.joined_at,
    leftAt: l.left_at,
    leftReason: l.left_reason,
  }));
  // Who started a recording is said only as "you" or "another participant": no one else's id.
  const own = new Set([...findings.legs.map((l) => `leg:${l.id}`), ...(findings.user === null ? [] : [`user:${findings.user.id}`])]);
  const recordings = findings.recordings.map((r) => ({
    id: r.id,
    conferenceId: r.conference_id,
    startedAt: r.started_at,
    startedBy: own.has(r.started_by) ? 'you' : 'another participant',
    file: add('recording', r.id, r.path),
  }));
  const manifest = {
    generatedAt: generatedAt.toISOString(),
    subject: subject.kind === 'number' ? { kind: 'number', number: subject.number } : { kind: 'user', userId: subject.userId },
    counts: countsOf(findings),
    user: findings.user,
    usersWithThisNumber: findings.users,
    legs,
    legHistory: findings.legEvents.map((e) => ({ legId: e.leg_id, at: e.at, kind: e.kind, detail: JSON.parse(e.detail) as unknown })),
    conferences: findings.conferences,
    contacts: findings.contacts.map((c) => ({ id: c.id, accountId: c.account_id, number: c.number, name: c.name, company: c.company, createdAt: c.created_at, updatedAt: c.updated_at })),
    pinAttempts: findings.pinAttempts.map((p) => ({ at: new Date(p.at).toISOString(), serviceNumber: p.service_number, ok: p.ok === 1 })),
    dialAttempts: findings.dialAttempts.map((d) => ({
      id: d.id, at: d.at, accountId: d.account_id, roomId: d.room_id, kind: d.kind, destination: d.destination, decision: d.decision,
      reason: d.reason, outcome: d.outcome, answeredAt: d.answered_at, endedAt: d.ended_at, durationMs: d.duration_ms,
    })),
    recordings,
    auditRows: findings.audit.map((a) => ({ id: a.id, at: a.at, action: a.action, target: { kind: a.target_kind, id: a.target_id }, actorRole: a.actor_role, detail: JSON.parse(a.detail) as unknown })),
    files: archived,
  };
  return { manifest, files };
}

/** A readable summary of the manifest, for the person who asked. */
export function summaryOf(manifest: Record<string, unknown>, findings: SubjectFindings): string {
  const counts = countsOf(findings);
  const lines = [
    'What dialbridge holds about you',
    `Generated ${String(manifest.generatedAt)}`,
    '',
    `Calls (legs): ${counts.legs ?? 0}, in ${counts.conferences ?? 0} conferences`,
    ...findings.legs.map((l) => `  - ${l.created_at} ${l.direction} call to ${l.room_name ?? 'no room'}${l.cli_withheld === 1 ? ' (number withheld: others saw "Withheld number")' : ''}${l.spoken_name_path === null ? '' : ', with a recorded spoken name'}`),
    `Contact entries with your number: ${counts.contacts ?? 0}`,
    `PIN attempts (kept for the lockout window only): ${counts.pinAttempts ?? 0}`,
    `Calls the service placed (or refused to place) to your number: ${counts.dialAttempts ?? 0}`,
    `Recordings of conferences you were in: ${counts.recordings ?? 0}`,
    `Audit entries about your records: ${counts.auditRows ?? 0}`,
    '',
    'Every record is in manifest.json; recordings and spoken-name clips are in the folders beside it.',
    'Service data is kept 12 months from the conference (or the account\'s own period); spoken names until the conference ends unless the account keeps them with the history; recordings 90 days.',
    '',
  ];
  return lines.join('\n');
}

/** The zip of an export: `manifest.json`, `summary.txt`, and the clips and recordings as files. */
export async function exportArchive(subject: DataSubject, findings: SubjectFindings, generatedAt: Date): Promise<Buffer> {
  const { manifest, files } = manifestOf(subject, findings, generatedAt);
  const zip = archiver('zip', { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('warning', reject);
  });
  zip.append(`${JSON.stringify(manifest, null, 2)}\n`, { name: 'manifest.json', date: generatedAt });
  zip.append(summaryOf(manifest, findings), { name: 'summary.txt', date: generatedAt });
  for (const f of files) zip.file(f.path, { name: f.name, date: generatedAt });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}
