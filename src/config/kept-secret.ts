import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret the server needs across restarts: taken from a setting when given, otherwise read
 * from `DATA_DIR/<file>`, or generated on first start and written there (mode 0600). The
 * database holds only hashes made with it, so it must live outside the database.
 */
export function keptSecret(dataDir: string, file: string, fromEnv: string | undefined): { value: string; generated: boolean } {
  if (fromEnv !== undefined) return { value: fromEnv, generated: false };
  const path = join(dataDir, file);
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    if (value !== '') return { value, generated: false };
  }
  const value = randomBytes(32).toString('base64url');
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return { value, generated: true };
}
