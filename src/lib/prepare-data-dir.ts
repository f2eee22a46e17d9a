import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from './errors.ts';

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function unusable(dir: string, reason: string, err?: unknown): AppError {
  const errno = errnoOf(err);
  return new AppError('DATA_DIR_UNUSABLE', `DATA_DIR ${dir} ${reason}${errno === undefined ? '' : ` (${errno})`}`, {
    ...(err === undefined ? {} : { cause: err }),
    details: { dataDir: dir, ...(errno === undefined ? {} : { errno }) },
  });
}

const REASONS: Readonly<Record<string, string>> = {
  EROFS: 'it is on a read-only filesystem',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
};

function reasonFor(errno: string | undefined, verb: string): string {
  const reason = errno === undefined ? undefined : REASONS[errno];
  return reason === undefined ? verb : `${verb}: ${reason}`;
}

/**
 * Makes sure `dir` (an absolute path) is a directory this process can write, creating it
 * and `subdirs` when missing, and proves it by writing and removing a probe file. Throws
 * one `DATA_DIR_UNUSABLE` error that says what is wrong (a file, not writable, read-only
 * filesystem) instead of a later, misleading error from SQLite.
 */
export function prepareDataDir(dir: string, subdirs: readonly string[] = []): void {
  let exists = true;
  try {
    if (!statSync(dir).isDirectory()) throw unusable(dir, 'is not a directory (it is a file)');
  } catch (err) {
    if (err instanceof AppError) throw err;
    const errno = errnoOf(err);
    if (errno === 'ENOTDIR') throw unusable(dir, reasonFor(errno, 'cannot be created'), err);
    if (errno !== 'ENOENT') throw unusable(dir, reasonFor(errno, 'cannot be read'), err);
    exists = false;
  }
  if (!exists) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw unusable(dir, reasonFor(errnoOf(err), 'cannot be created'), err);
    }
  }
  // Writing is the only honest test (access(2) knows nothing of read-only mounts for root).
  const probe = join(dir, `.write-probe-${String(process.pid)}`);
  try {
    writeFileSync(probe, '');
  } catch (err) {
    throw unusable(dir, reasonFor(errnoOf(err), 'is not writable'), err);
  }
  rmSync(probe, { force: true });
  for (const sub of subdirs) {
    const path = join(dir, sub);
    try {
      mkdirSync(path, { recursive: true });
    } catch (err) {
      throw unusable(dir, reasonFor(errnoOf(err), `has a ${sub} entry that cannot be used as a directory`), err);
    }
  }
}
