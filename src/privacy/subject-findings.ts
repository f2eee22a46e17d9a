import type { DataSubject } from '../domain/data-request.ts';
import { AppError } from '../lib/errors.ts';
import type { SubjectDialAttemptRow, SubjectLegRow, SubjectRecordingRow, SubjectScope } from '../storage/data-subject-repo.ts';
import type { Store } from '../storage/store.ts';

/** Everything held about one person in a scope. */
export interface SubjectFindings {
  /** The numbers searched: the subject's number, or a user's profile numbers. */
  readonly numbers: readonly string[];
  /** The user, for a user subject (their profile is their data). */
  readonly user: { readonly id: string; readonly accountId: string; readonly name: string; readonly role: string; readonly email: string | null } | null;
  readonly legs: readonly SubjectLegRow[];
  readonly legEvents: readonly { leg_id: string; at: string; kind: string; detail: string }[];
  readonly contacts: readonly { id: string; account_id: string; number: string; name: string; company: string | null; created_at: string; updated_at: string }[];
  readonly pinAttempts: readonly { at: number; service_number: string; ok: number }[];
  /** Dial-out attempts to the number (refused or placed). */
  readonly dialAttempts: readonly SubjectDialAttemptRow[];
  /** Users whose profile lists the number (a number subject may be a registered user). */
  readonly users: readonly { id: string; account_id: string; name: string; role: string; email: string | null }[];
  /** Conferences the subject was in (the history entries), without anyone else's details. */
  readonly conferences: readonly { id: string; roomId: string | null; roomName: string | null; startedAt: string | null; endedAt: string | null }[];
  readonly recordings: readonly SubjectRecordingRow[];
  readonly audit: readonly { id: number; at: string; action: string; target_kind: string; target_id: string | null; actor_role: string; detail: string }[];
}

/** Counts of what was found (what the register and the API report). */
export function countsOf(f: SubjectFindings): Record<string, number> {
  return {
    legs: f.legs.length,
    legEvents: f.legEvents.length,
    contacts: f.contacts.length,
    pinAttempts: f.pinAttempts.length,
    dialAttempts: f.dialAttempts.length,
    users: f.users.length + (f.user === null ? 0 : 1),
    conferences: f.conferences.length,
    recordings: f.recordings.length,
    nameClips: f.legs.filter((l) => l.spoken_name_path !== null).length,
    auditRows: f.audit.length,
  };
}

/**
 * Looks for everything about the subject in the scope (an account, or every account for the
 * operator). A user outside the scope is `NOT_FOUND`, as one that does not exist.
 */
export function findSubject(store: Store, subject: DataSubject, scope: SubjectScope): SubjectFindings {
  let user: SubjectFindings['user'] = null;
  let numbers: string[];
  if (subject.kind === 'user') {
    const found = store.users.profile(subject.userId);
    if (found === null || (scope.accountId !== null && found.accountId !== scope.accountId)) throw new AppError('NOT_FOUND', 'user not found');
    user = { id: found.id, accountId: found.accountId, name: found.name, role: found.role, email: found.email };
    numbers = store.dataSubjects.phoneNumbersOf(found.id);
  } else {
    numbers = [subject.number];
  }
  const repo = store.dataSubjects;
  const legs = numbers.flatMap((n) => repo.legsOf(n, scope));
  const contacts = numbers.flatMap((n) => repo.contactsOf(n, scope));
  const users = numbers.flatMap((n) => repo.usersWithNumber(n, scope)).filter((u) => u.id !== user?.id);
  const conferenceIds = [...new Set(legs.flatMap((l) => (l.conference_id === null ? [] : [l.conference_id])))];
  const conferences = conferenceIds.map((id) => {
    const c = store.conferences.get(id);
    const leg = legs.find((l) => l.conference_id === id);
    return { id, roomId: leg?.room_id ?? null, roomName: leg?.room_name ?? null, startedAt: c?.startedAt.toISOString() ?? null, endedAt: c?.endedAt?.toISOString() ?? null };
  });
  const targets = [...legs.map((l) => l.id), ...contacts.map((c) => c.id), ...(user === null ? [] : [user.id])];
  return {
    numbers,
    user,
    legs,
    legEvents: repo.legEventsOf(legs.map((l) => l.id)),
    contacts,
    pinAttempts: numbers.flatMap((n) => repo.pinAttemptsOf(n, scope)),
    dialAttempts: numbers.flatMap((n) => repo.dialAttemptsTo(n, scope)),
    users,
    conferences,
    recordings: repo.recordingsOf(conferenceIds),
    audit: repo.auditAbout(targets, user?.id ?? null),
  };
}
