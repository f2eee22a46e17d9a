import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { openStore } from '../../../src/storage/open-store.ts';
import type { Store } from '../../../src/storage/store.ts';

/** The PIN secret test stores are opened with (any 16 or more bytes do). */
export const TEST_PIN_SECRET = Buffer.alloc(32, 7);

/** A store on a fresh temporary file, removed when the test ends. */
export function tempStore(t: Test): { store: Store; path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dialbridge-store-'));
  const path = join(dir, 'test.sqlite');
  const store = openStore(path, TEST_PIN_SECRET);
  t.teardown(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, path, dir };
}
