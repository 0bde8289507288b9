import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type DemoServer, repoRoot, startDemoServer } from '../support/demo-server.ts';

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

async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
    });
  });
}

async function unsentCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('status-unsent').textContent()) ?? '';
  const match = /(\d+)\s*unsent/i.exec(text);
  if (!match) throw new Error(`status-unsent does not show a count: "${text}"`);
  return Number(match[1]);
}

async function ringUpCashSale(page: Page, skus: string[]): Promise<string> {
  for (const sku of skus) await page.getByTestId(`product-${sku}`).click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('tender-exact').click();
  await page.getByTestId('complete-sale').click();
  // I1: the receipt is only shown once the sale is durably in IndexedDB.
  await page.getByTestId('receipt').waitFor();
  const receiptNo = (await page.getByTestId('receipt-no').textContent())?.trim() ?? '';
  await page.getByTestId('new-sale').click();
  return receiptNo;
}

describe('a cash sale rung up offline lands exactly once in the server ledger', () => {
  it('[I1][I2][I6] enroll, sell offline, survive a reload and a closed tab, then sync each sale once', async () => {
    let page = await context.newPage();
    await page.goto(server.url);

    await page.getByTestId('enroll-code').fill(server.enrollmentCode);
    await page.getByTestId('enroll-name').fill('Front till');
    await page.getByTestId('enroll-submit').click();
    const firstProduct = page.locator('[data-testid^="product-"]').first();
    await firstProduct.waitFor({ timeout: 30_000 });
    await waitForServiceWorkerControl(page);

    // Offline for real: the page and the service worker lose the network.
    await context.setOffline(true);
    const reload = await page.reload();
    expect(reload?.fromServiceWorker(), 'the app shell is served by the service worker').toBe(true);
    await firstProduct.waitFor();
    await expect.poll(() => page.getByTestId('status-online').textContent()).toMatch(/offline/i);

    const skus = (
      await page
        .locator('[data-testid^="product-"]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')?.slice('product-'.length) ?? ''))
    ).filter(Boolean);
    expect(skus.length).toBeGreaterThanOrEqual(3);
    const [a = '', b = '', c = ''] = skus;
    const receipts = [
      await ringUpCashSale(page, [a]),
      await ringUpCashSale(page, [b, b]),
      await ringUpCashSale(page, [a, c]),
    ];
    expect(new Set(receipts).size).toBe(3);
    await expect.poll(() => unsentCount(page)).toBe(3);

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
    await expect.poll(() => unsentCount(page)).toBe(3);
    expect(countSalesOnServer(receipts)).toEqual({ rows: 0, distinctIds: 0 });

    // Back online: the sync engine pushes on the `online` event.
    await context.setOffline(false);
    await expect.poll(() => unsentCount(page), { timeout: 30_000 }).toBe(0);

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
