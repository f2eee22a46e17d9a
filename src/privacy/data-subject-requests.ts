import { randomUUID } from 'node:crypto';
import { audit, type AdminContext } from '../admin/admin-context.ts';
import { subjectHint, type DataRequestAction, type DataRequestRecord, type DataSubject } from '../domain/data-request.ts';
import { AppError } from '../lib/errors.ts';
import type { SubjectScope } from '../storage/data-subject-repo.ts';
import { deleteRecordingFile } from '../storage/recording-files.ts';
import { exportArchive } from './export-archive.ts';
import { countsOf, findSubject, type SubjectFindings } from './subject-findings.ts';

/** A data-subject request as the API takes it. */
export interface DataRequestInput {
  readonly subject: DataSubject;
  readonly scope: SubjectScope;
  /** Why it is asked (identity checked how, ticket number): kept in the register. */
  readonly reason: string;
}

/** What an erasure did. */
export interface ErasureResult {
  readonly requestId: string;
  /** Counts per kind of record; all zero when nothing was left to erase. */
  readonly erased: Readonly<Record<string, number>>;
  /** The subject's own recordings kept under the account's legal hold. */
  readonly keptUnderLegalHold: number;
  /** Legs still in a call now (erased once they leave, by asking again). */
  readonly skippedLive: number;
  readonly nothingLeft: boolean;
}

function register(ctx: AdminContext, input: DataRequestInput, action: DataRequestAction, result: Record<string, number>): string {
  const id = randomUUID();
  const record: DataRequestRecord = {
    id,
    at: ctx.now().toISOString(),
    accountId: input.scope.accountId,
    actor: { kind: ctx.actor.kind, id: ctx.actor.id, role: ctx.actor.role },
    action,
    subject: { kind: input.subject.kind, hint: subjectHint(input.subject) },
    reason: input.reason,
    result,
  };
  const key = input.subject.kind === 'number' ? `number:${input.subject.number}` : `user:${input.subject.userId}`;
  ctx.store.dataRequests.record(record, ctx.store.hashPin(key));
  audit(ctx, { accountId: input.scope.accountId, action: `data-request.${action}`, target: { kind: 'data-request', id }, detail: { subject: record.subject.hint, ...result } });
  return id;
}

/** What is held about the subject, as counts (recorded in the register). */
export function findData(ctx: AdminContext, input: DataRequestInput): { requestId: string; found: Record<string, number> } {
  const found = countsOf(findSubject(ctx.store, input.subject, input.scope));
  return { requestId: register(ctx, input, 'find', found), found };
}

/** A zip of everything held about the subject (manifest.json, summary.txt, clips, recordings). */
export async function exportData(ctx: AdminContext, input: DataRequestInput): Promise<{ requestId: string; zip: Buffer }> {
  const findings = findSubject(ctx.store, input.subject, input.scope);
  const zip = await exportArchive(input.subject, findings, ctx.now());
  return { requestId: register(ctx, input, 'export', countsOf(findings)), zip };
}

/** Corrects the subject's name: on their legs (each name that was set) and on the contacts of their number. */
export function correctName(ctx: AdminContext, input: DataRequestInput, name: string): { requestId: string; corrected: Record<string, number> } {
  const trimmed = name.trim();
  if (trimmed === '') throw new AppError('BAD_REQUEST', 'body/name must not be blank', { details: { field: 'name' } });
  const f = findSubject(ctx.store, input.subject, input.scope);
  const corrected = ctx.store.dataSubjects.correctName(f.legs.map((l) => l.id), f.contacts.map((c) => c.id), trimmed, ctx.now());
  if (f.user !== null) ctx.store.users.update(f.user.id, { name: trimmed });
  const result = { ...corrected, users: f.user === null ? 0 : 1 };
  return { requestId: register(ctx, input, 'correct', result), corrected: result };
}

function ownRecordings(f: SubjectFindings): SubjectFindings['recordings'] {
  const starters = new Set([...f.legs.map((l) => `leg:${l.id}`), ...(f.user === null ? [] : [`user:${f.user.id}`])]);
  return f.recordings.filter((r) => starters.has(r.started_by));
}

/**
 * Erases the subject: numbers and names gone from their legs, contacts, PIN attempts, queued
 * webhooks and emails, audit details; spoken-name clips unlinked; their own recordings
 * deleted unless the account keeps them under a legal hold. Leg rows keep their times, so
 * billed minutes (anonymous aggregates) are unchanged. Legs still in a call are left for a
 * later request. Idempotent: a second erasure finds nothing and says so. The WAL is
 * checkpointed afterwards so no erased byte lingers there. A user's profile is anonymised
 * (name, email, password, phone numbers; keys revoked, sessions ended).
 */
export async function eraseData(ctx: AdminContext, input: DataRequestInput): Promise<ErasureResult> {
  const f = findSubject(ctx.store, input.subject, input.scope);
  const ended = f.legs.filter((l) => l.state === 'left');
  const skippedLive = f.legs.length - ended.length;
  let nameClips = 0;
  for (const leg of ended) {
    if (leg.spoken_name_path === null) continue;
    await deleteRecordingFile(leg.spoken_name_path);
    nameClips += 1;
  }
  const own = ownRecordings({ ...f, legs: ended });
  const held = own.filter((r) => ctx.store.dataSubjects.keepsRecordingsOnErasure(r.account_id));
  const doomed = own.filter((r) => !held.includes(r));
  for (const r of doomed) await deleteRecordingFile(r.path);
  const recordings = ctx.store.dataSubjects.deleteRecordings(doomed.map((r) => ({ id: r.id, roomId: r.room_id, accountId: r.account_id })), 'data-request', ctx.now());
  const names = [...new Set(ended.flatMap((l) => [l.cli_display_name, l.typed_name, l.host_assigned_name, l.looked_up_name]).concat(f.contacts.map((c) => c.name)))].filter(
    (n): n is string => n !== null && n.trim().length >= 3,
  );
  const erased: Record<string, number> = { nameClips, recordings };
  for (const number of f.numbers) {
    const legIds = ended.filter((l) => l.cli_number === number).map((l) => l.id);
    const counts = ctx.store.dataSubjects.eraseNumber(number, legIds, names, input.scope, ctx.now());
    for (const [k, v] of Object.entries(counts) as [string, number][]) erased[k] = (erased[k] ?? 0) + v;
  }
  if (f.user !== null) {
    const profileNames = [f.user.name, f.user.email].filter((n): n is string => n !== null && n.length >= 3);
    erased.users = ctx.store.dataSubjects.anonymiseUser(f.user.id, ctx.now());
    if (erased.users > 0) ctx.store.dataSubjects.eraseNumber('', [], profileNames, input.scope, ctx.now());
  }
  ctx.store.checkpoint();
  const nothingLeft = Object.values(erased).every((n) => n === 0);
  const requestId = register(ctx, input, 'erase', { ...erased, keptUnderLegalHold: held.length, skippedLive });
  return { requestId, erased, keptUnderLegalHold: held.length, skippedLive, nothingLeft };
}
