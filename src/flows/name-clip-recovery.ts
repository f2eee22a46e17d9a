import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Store } from '../storage/store.ts';
import { forgetNameClips } from './name-clip-cleanup.ts';

/** A clip's file name: `<leg id>.wav`, or `<leg id>-2.wav` for a second take. */
const CLIP_FILE = /^(.+?)(?:-2)?\.wav$/;

/**
 * At start, before any call: a spoken name is personal data, so what a crash left behind goes.
 * The conferences the crash interrupted have ended, so their clips are forgotten as at any end
 * (`interrupted`: the conferences open before the restart closed them); and a clip no leg
 * links to — a recording cut by the crash, or a take never kept — is deleted. Returns how many
 * files were removed.
 */
export async function forgetNameClipsLeftByACrash(
  store: Store,
  namesDir: string,
  interrupted: readonly { readonly id: string; readonly roomId: string }[],
  now: Date,
  log: Logger,
): Promise<number> {
  let removed = 0;
  for (const conference of interrupted) removed += await forgetNameClips(store, conference.id, conference.roomId, now, log);
  let files: string[];
  try {
    files = await readdir(namesDir);
  } catch {
    return removed;
  }
  for (const file of files) {
    const legId = CLIP_FILE.exec(file)?.[1];
    const path = join(namesDir, file);
    if (legId === undefined || store.legs.get(legId)?.names.spokenClipPath === path) continue;
    try {
      await rm(path, { force: true });
      removed += 1;
    } catch (err) {
      log.warn({ err, file }, 'unlinked spoken-name clip could not be deleted');
    }
  }
  return removed;
}
