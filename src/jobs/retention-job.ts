import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import {
  closedAccountDue,
  pinAttemptCutoff,
  serviceDataCutoff,
  type RetentionBounds,
  type RetentionDeletionKind,
} from '../domain/retention.ts';
import { toAppError } from '../lib/errors.ts';
import { deleteRecordingFile } from '../storage/recording-files.ts';
import type { DeletedCounts, RetentionAccount } from '../storage/retention-repo.ts';
import type { Store } from '../storage/store.ts';
import { startPeriodicJob, type PeriodicJob } from './periodic-job.ts';

/** Options of {@link startRetentionJob}. */
export interface RetentionJobOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The operator's bounds on an account's retention override. */
  readonly bounds: RetentionBounds;
  /** The PIN lockout window and lockout (attempts older than both are of no use). */
  readonly lockout: { readonly windowMs: number; readonly lockoutMs: number };
  /** How often it runs after the first run; default hourly. */
  readonly intervalMs?: number;
  /** Conferences (or clips, legs, attempts) per transaction; default 20 (a transaction of tens of milliseconds). */
  readonly batchSize?: number;
  /** Told after each pass how many records of each kind it deleted (the metrics; kinds with none are not told). */
  readonly onDeleted?: (kind: RetentionDeletionKind, count: number) => void;
}

/** What one pass deleted, over every account. */
export interface RetentionPassResult extends DeletedCounts {
  nameClips: number;
  pinAttempts: number;
  /** Dial-out attempts (with their destination numbers) older than the account's months. */
  dialAttempts: number;
  accounts: number;
  files: number;
}

/** The metric kind of each count of a pass (`files` are the clips and recordings already counted). */
const KIND_OF: Readonly<Record<Exclude<keyof RetentionPassResult, 'files'>, RetentionDeletionKind>> = {
  conferences: 'conference',
  legs: 'leg',
  legEvents: 'leg-event',
  emails: 'email',
  recordings: 'recording',
  nameClips: 'name-clip',
  pinAttempts: 'pin-attempt',
  dialAttempts: 'dial-attempt',
  accounts: 'account',
};

/** A running retention job. */
export type RetentionJob = PeriodicJob<RetentionPassResult>;

const SYSTEM = { kind: 'system', id: null, role: 'system', via: null, sourceAddress: null } as const;

/** Lets calls and HTTP run between two batches. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs the retention policy (domain/retention.ts) by itself: spoken-name clips of ended
 * conferences, conferences with their legs, events, names, CLIs and billing codes after the
 * account's months (minutes kept as anonymous aggregates), stray IVR legs, PIN attempts after
 * the lockout window, and closed accounts after their months. Work is done in small batches,
 * each its own transaction, files unlinked before their rows go, and the WAL checkpointed
 * (TRUNCATE) after each batch, so with `secure_delete` no deleted byte stays in the database
 * file or its WAL. Each account's deletions are audited as counts.
 */
export function startRetentionJob(options: RetentionJobOptions): RetentionJob {
  const { store, logger } = options;
  const batch = options.batchSize ?? 20;
  // A function, not the getter inline: the store may close while a pass awaits between batches.
  const closed = (): boolean => store.closed;

  const unlinkAll = async (paths: readonly string[]): Promise<number> => {
    let n = 0;
    for (const path of paths) {
      try {
        await deleteRecordingFile(path);
        n += 1;
      } catch (err) {
        logger.error({ err: toAppError(err) }, 'a file due for deletion could not be unlinked');
      }
    }
    return n;
  };

  const forAccount = async (account: RetentionAccount, now: Date, total: RetentionPassResult): Promise<void> => {
    const counts: RetentionPassResult = { conferences: 0, legs: 0, legEvents: 0, emails: 0, recordings: 0, nameClips: 0, pinAttempts: 0, dialAttempts: 0, accounts: 0, files: 0 };
    if (!account.keepNameClips) {
      for (let round = 0; round < 10_000 && !closed(); round++) {
        const clips = store.retention.dueClips(account.id, batch);
        if (clips.length === 0) break;
        counts.files += await unlinkAll(clips.map((c) => c.path));
        counts.nameClips += store.retention.clearClips(clips.map((c) => c.legId));
        store.checkpoint();
        await breathe();
      }
    }
    const closing = closedAccountDue(now, account.closedAt, account, options.bounds);
    const cutoff = closing ? null : serviceDataCutoff(now, account, options.bounds);
    for (let round = 0; round < 10_000 && !closed(); round++) {
      const due = store.retention.dueConferences(account.id, cutoff, batch);
      if (due.length === 0) break;
      counts.files += await unlinkAll(due.flatMap((c) => c.files));
      const deleted = store.retention.deleteConferences(due.map((c) => c.id), now);
      for (const key of ['conferences', 'legs', 'legEvents', 'emails', 'recordings'] as const) counts[key] += deleted[key];
      store.checkpoint();
      await breathe();
    }
    for (let round = 0; round < 10_000 && !closed(); round++) {
      const n = store.retention.deleteDialAttempts(account.id, cutoff, batch * 20);
      counts.dialAttempts += n;
      if (n === 0) break;
      store.checkpoint();
      await breathe();
    }
    if (closed()) return;
    const stray = store.retention.deleteStrayLegs(account.id, cutoff ?? new Date('9999-12-31T23:59:59.999Z'), batch * 20);
    counts.files += await unlinkAll(stray.files);
    counts.legs += stray.legs;
    counts.legEvents += stray.legEvents;
    if (closing && store.retention.deleteAccount(account.id)) counts.accounts = 1;
    const any = Object.values(counts).some((n) => n > 0);
    if (any) {
      store.audit.record(
        { accountId: counts.accounts === 1 ? null : account.id, actor: SYSTEM, action: counts.accounts === 1 ? 'retention.account-deleted' : 'retention.deleted', target: { kind: 'account', id: account.id }, detail: { ...counts } },
        now,
      );
      logger.info({ accountId: account.id, ...counts }, 'retention deleted data due');
    }
    for (const key of Object.keys(total) as (keyof RetentionPassResult)[]) total[key] += counts[key];
  };

  const pass = async (): Promise<RetentionPassResult> => {
    const now = options.clock();
    const total: RetentionPassResult = { conferences: 0, legs: 0, legEvents: 0, emails: 0, recordings: 0, nameClips: 0, pinAttempts: 0, dialAttempts: 0, accounts: 0, files: 0 };
    for (const account of store.retention.accounts()) {
      if (closed()) return total;
      try {
        await forAccount(account, now, total);
      } catch (err) {
        logger.error({ err: toAppError(err), accountId: account.id }, 'retention of an account failed');
      }
    }
    // The server may have stopped while the pass paused between batches.
    if (closed()) return total;
    const stray = store.retention.deleteStrayLegs(null, serviceDataCutoff(now, { retentionMonths: null }, options.bounds), batch * 20);
    total.legs += stray.legs;
    total.files += await unlinkAll(stray.files);
    const before = pinAttemptCutoff(now, options.lockout).getTime();
    for (let round = 0; round < 10_000 && !closed(); round++) {
      const n = store.retention.deletePinAttempts(before, batch * 20);
      total.pinAttempts += n;
      if (n === 0) break;
      await breathe();
    }
    if (!closed()) store.checkpoint();
    return total;
  };

  const reportedPass = async (): Promise<RetentionPassResult> => {
    const total = await pass();
    for (const [key, kind] of Object.entries(KIND_OF) as [keyof typeof KIND_OF, RetentionDeletionKind][]) {
      if (total[key] > 0) options.onDeleted?.(kind, total[key]);
    }
    return total;
  };

  return startPeriodicJob(reportedPass, options.intervalMs ?? 3_600_000, (err: unknown) => {
    logger.error({ err: toAppError(err) }, 'retention pass failed');
  });
}
