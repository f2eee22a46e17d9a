/**
 * A real browser for page tests: Debian's Chromium (apt `chromium`) driven by playwright-core
 * through its executable path. npm never downloads a browser here.
 */
import { existsSync } from 'node:fs';
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

/** Where the tests save screenshots of the page (shown in the README). */
export const SCREENSHOTS = new URL('../../../../docs/screenshots/', import.meta.url);
