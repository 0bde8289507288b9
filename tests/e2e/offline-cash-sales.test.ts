import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type DemoServer, repoRoot, startDemoServer } from '../support/demo-server.ts';
import { enroll, productSkus, ringUpCashSale, statusCount, waitForServiceWorkerControl } from '../support/till-page.ts';

const screenshotDir = join(repoRoot, 'test-results');

let server: DemoServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  mkdirSync(screenshotDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a cash sale rung up offline lands exactly once in the server ledger', () => {
  it('[I1][I2][I6] enroll, sell offline, survive a reload and a closed tab, then sync each sale once', async () => {
    let page = await context.newPage();
    await page.goto(server.url);

    await enroll(page, server.enrollmentCode);
    const firstProduct = page.locator('[data-testid^="product-"]').first();
    await waitForServiceWorkerControl(page);

    // Offline for real: the page and the service worker lose the network.
    await context.setOffline(true);
    const reload = await page.reload();
    expect(reload?.fromServiceWorker(), 'the app shell is served by the service worker').toBe(true);
    await firstProduct.waitFor();
    await expect.poll(() => page.getByTestId('status-online').textContent()).toMatch(/offline/i);

    const skus = await productSkus(page);
    expect(skus.length).toBeGreaterThanOrEqual(3);
    const [a = '', b = '', c = ''] = skus;
    const receipts = [
      await ringUpCashSale(page, [a]),
      await ringUpCashSale(page, [b, b]),
      await ringUpCashSale(page, [a, c]),
    ];
    expect(new Set(receipts).size).toBe(3);
    await expect.poll(() => statusCount(page, 'status-unsent', 'unsent')).toBe(3);

    // A picture of the sell screen with a cart, for the README.
    await page.getByTestId(`product-${a}`).click();
    await page.getByTestId(`product-${c}`).click();
    await page.screenshot({ path: join(screenshotDir, 'sell-screen.png') });

    // Close the tab and open the till again, still offline: the sales are still there, unsent.
    await page.close();
    page = await context.newPage();
    const reopened = await page.goto(server.url);
    expect(reopened?.fromServiceWorker()).toBe(true);
    await page.locator('[data-testid^="product-"]').first().waitFor();
    await expect.poll(() => statusCount(page, 'status-unsent', 'unsent')).toBe(3);
    expect(countSalesOnServer(receipts)).toEqual({ rows: 0, distinctIds: 0 });

    // Back online: the sync engine pushes on the `online` event.
    await context.setOffline(false);
    await expect.poll(() => statusCount(page, 'status-unsent', 'unsent'), { timeout: 30_000 }).toBe(0);

    // Checked through the server's own SQL ledger, not the page.
    expect(countSalesOnServer(receipts)).toEqual({ rows: 3, distinctIds: 3 });
    await page.close();
  });
});

function countSalesOnServer(receiptNos: string[]): { rows: number; distinctIds: number } {
  const db = new Database(server.database, { readonly: true, fileMustExist: true });
  try {
    const placeholders = receiptNos.map(() => '?').join(',');
    return db
      .prepare(
        `select count(*) as rows, count(distinct id) as distinctIds from sales where receipt_no in (${placeholders})`,
      )
      .get(...receiptNos) as { rows: number; distinctIds: number };
  } finally {
    db.close();
  }
}
