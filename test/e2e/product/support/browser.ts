/**
 * A real browser for page tests: Debian's Chromium (apt `chromium`) driven by playwright-core
 * through its executable path. npm never downloads a browser here.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { Test } from 'tap';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Debian's chromium is not installed (${CHROMIUM}): apt-get install -y chromium`;
}

/** Launches headless Chromium; closed when `t` ends. */
export async function launchBrowser(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 30_000,
  });
  t.teardown(() => browser.close());
  return browser;
}

/**
 * Where the tests save screenshots of the page: `SCREENSHOTS_DIR` when set (`npm run
 * screenshots` sets it to docs/screenshots/, the README's pictures), otherwise a fresh
 * temporary folder, so that a test run leaves the working tree as it found it.
 */
export const SCREENSHOTS = pathToFileURL(`${process.env.SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'dialbridge-screenshots-'))}/`);
