/**
 * `npm test`'s set-up step (the `pretest` script): makes sure the peers the end-to-end tests
 * drive are installed. Missing ones are installed with apt-get when this runs as root on
 * Debian/Ubuntu; otherwise one line says which tests will be skipped and why (the tests
 * themselves report those as tap skips). Idempotent, and instant when everything is there.
 * Set TEST_SETUP_NO_INSTALL=1 to never install.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { onPath, PEER_TOOLS, type PeerTool } from '../test/support/peer-tools.ts';

/** What is skipped without each tool (for the one-line notice). */
const SKIPPED_WITHOUT: Readonly<Record<PeerTool, string>> = {
  sipp: 'the sipp calls (test/e2e/embedded-sip, sipp parts of test/contract and test/support/peers)',
  baresip: 'the softphone calls (baresip parts of test/contract, test/support/baresip)',
  sox: 'the WAV format check read back by sox (test/unit/media/wav-writer)',
  chromium: 'the browser test of the Live Call Status page (test/e2e/product/live-page)',
};

function missingTools(): PeerTool[] {
  return (Object.keys(PEER_TOOLS) as PeerTool[]).filter((tool) => !onPath(tool));
}

function aptInstall(packages: readonly string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts: SpawnSyncOptions = { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 600_000 };
  const update = spawnSync('apt-get', ['update', '-qq'], opts);
  if (update.status !== 0) return false;
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], opts);
  return install.status === 0;
}

let missing = missingTools();
const isRoot = process.getuid?.() === 0;
const mayInstall = isRoot && onPath('apt-get') && process.env.TEST_SETUP_NO_INSTALL !== '1';
if (missing.length > 0 && mayInstall) {
  const packages = missing.map((tool) => PEER_TOOLS[tool]);
  process.stdout.write(`test setup: installing ${packages.join(' ')} (apt-get)\n`);
  aptInstall(packages);
  missing = missingTools();
}
if (missing.length === 0) {
  process.stdout.write(`test setup: test peers present (${Object.keys(PEER_TOOLS).join(', ')})\n`);
} else {
  const why = mayInstall
    ? 'apt-get could not install them'
    : !isRoot
      ? 'not root, so they cannot be installed'
      : process.env.TEST_SETUP_NO_INSTALL === '1'
        ? 'TEST_SETUP_NO_INSTALL=1'
        : 'no apt-get on this machine';
  const packages = missing.map((tool) => PEER_TOOLS[tool]).join(' ');
  process.stdout.write(
    `test setup: ${missing.join(', ')} missing (${why}; apt-get install ${packages}): skipping ${missing.map((tool) => SKIPPED_WITHOUT[tool]).join('; ')}\n`,
  );
}
