import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { chromiumPath } from '../../../tests/support/browser.ts';

/** The flags the browser tests use (tests/support/browser.ts): no sandbox, GPU or background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PersistentBrowser {
  context: BrowserContext;
  userDataDir: string;
  /** Closes the browser and keeps the profile (for a cold restart on the same profile). */
  close(): Promise<void>;
  /** Closes the browser and deletes the profile. */
  dispose(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a profile on disk. Always a persistent context: an ordinary
 * Playwright context is off the record, where Chromium keeps IndexedDB in memory — a commit
 * would then cost no disk flush at all, and a service worker would not survive a restart.
 */
export async function launchPersistent(userDataDir?: string): Promise<PersistentBrowser> {
  const dir = userDataDir ?? mkdtempSync(join(tmpdir(), 'till-bench-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    userDataDir: dir,
    close: () => context.close(),
    async dispose() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
