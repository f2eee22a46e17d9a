import type { AuditActor } from './audit.ts';

/** What a data subject may ask for (PRODUCT-POLICY "Your rights"). */
export type DataRequestAction = 'find' | 'export' | 'correct' | 'erase';

/** Whom a request is about: a phone number (E.164) or a registered user. */
export type DataSubject = { readonly kind: 'number'; readonly number: string } | { readonly kind: 'user'; readonly userId: string };

/**
 * One recorded request: who asked, why, about whom (a keyed hash and a hint, never the
 * number itself, so the register does not keep what an erasure removed), and what it did.
 */
export interface DataRequestRecord {
  readonly id: string;
  readonly at: string;
  /** The account searched; null: every account (the operator). */
  readonly accountId: string | null;
  readonly actor: Pick<AuditActor, 'kind' | 'id' | 'role'>;
  readonly action: DataRequestAction;
  readonly subject: { readonly kind: DataSubject['kind']; readonly hint: string };
  readonly reason: string;
  /** Counts of what was found, exported, corrected or erased. */
  readonly result: Readonly<Record<string, number>>;
}

/** How a subject is shown in the register: a number by its last three digits, a user by id. */
export function subjectHint(subject: DataSubject): string {
  return subject.kind === 'number' ? `number ending ${subject.number.slice(-3)}` : `user ${subject.userId}`;
}
