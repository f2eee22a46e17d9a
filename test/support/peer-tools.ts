/**
 * Which external test peers are installed. Tests that need one pass `skipUnless(...)` as
 * their `skip` option, so a missing peer is counted by tap as a skip (with the reason),
 * never as a pass or a failure. `npm test` installs them first when it may (see
 * scripts/test-setup.ts).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The external programs the end-to-end tests drive (SIP peers, sox, the browser), and the Debian package of each. */
export const PEER_TOOLS = {
  sipp: 'sip-tester',
  baresip: 'baresip-core',
  sox: 'sox',
  chromium: 'chromium',
} as const;

/** A peer program the tests use. */
export type PeerTool = keyof typeof PEER_TOOLS;

/** Whether `command` is an executable on PATH. */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

/** `false` when every tool is installed, else the skip reason naming what is missing. */
export function skipUnless(...tools: PeerTool[]): false | string {
  const missing = tools.filter((tool) => !onPath(tool));
  if (missing.length === 0) return false;
  return `${missing.join(', ')} not installed (apt-get install ${missing.map((m) => PEER_TOOLS[m]).join(' ')})`;
}
