import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The demo host's API key and where it came from. */
export interface DemoApiKey {
  readonly key: string;
  /** `setting`: DEMO_API_KEY; `generated`: made by this start; `file`: kept from an earlier start. */
  readonly source: 'setting' | 'generated' | 'file';
  /** The file that holds it (`generated` and `file`). */
  readonly file?: string;
}

/**
 * The demo host's API key: `DEMO_API_KEY` when set; otherwise the key generated on first start
 * and kept (mode 0600) in `DATA_DIR/demo-api-key`, since the database holds only its hash.
 */
export function demoApiKey(dataDir: string, fromEnv: string | undefined): DemoApiKey {
  if (fromEnv !== undefined) return { key: fromEnv, source: 'setting' };
  const file = join(dataDir, 'demo-api-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key !== '') return { key, source: 'file', file };
  }
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: 'generated', file };
}
