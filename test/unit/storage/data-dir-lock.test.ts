/**
 * The DATA_DIR lock: one holder at a time, and the lock file is the only thing it leaves in
 * the directory — while held, after release, and after a holder killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { lockDataDir } from '../../../src/storage/data-dir-lock.ts';
import { isAppError } from '../../../src/lib/errors.ts';

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-lock-'));
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

function lockCode(dir: string): string | null {
  try {
    lockDataDir(dir).release();
    return null;
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
}

t.test('a held lock refuses a second holder and leaves only dialbridge.lock in the directory', async (t) => {
  const dir = tempDir(t);
  const lock = lockDataDir(dir);
  t.same(readdirSync(dir), ['dialbridge.lock'], 'no journal beside the lock while it is held');
  t.equal(lockCode(dir), 'DATA_DIR_LOCKED');
  lock.release();
  lock.release();
  t.same(readdirSync(dir), ['dialbridge.lock'], 'nor after release');
  t.equal(lockCode(dir), null, 'and the next holder takes it');
});

t.test('a holder killed with SIGKILL leaves nothing but the lock file, and the lock is free again', async (t) => {
  t.setTimeout(30_000);
  const dir = tempDir(t);
  const module = fileURLToPath(new URL('../../../src/storage/data-dir-lock.ts', import.meta.url));
  const script = `const { lockDataDir } = await import(${JSON.stringify(module)}); lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    if (out.includes('locked')) break;
  }
  t.match(out, /locked/, 'the child holds the lock');
  t.equal(lockCode(dir), 'DATA_DIR_LOCKED', 'which the parent cannot take');
  t.same(readdirSync(dir), ['dialbridge.lock']);
  child.kill('SIGKILL');
  await exited;
  t.same(readdirSync(dir), ['dialbridge.lock'], 'no journal left behind by the dead holder');
  t.equal(lockCode(dir), null, 'and the lock is free');
});
