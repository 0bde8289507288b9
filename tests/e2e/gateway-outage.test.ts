import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayControl } from '../../scripts/gateway-simulator/control-client.ts';
import { launchChromium } from '../support/browser.ts';
import { type DemoServer, repoRoot, startDemoServer } from '../support/demo-server.ts';
import { enroll, productSkus, ringUpCardSale, ringUpCashSale, statusCount } from '../support/till-page.ts';

let server: DemoServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the origin incident: the payment gateway is down, the shop keeps selling', () => {
  it('[I4][I5][I7] six card sales are stored without an error, then captured exactly once when the gateway returns', async () => {
    if (!server.gatewayControlUrl) throw new Error('the demo start script did not report a gatewayControlUrl');
    const gateway = gatewayControl(server.gatewayControlUrl);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(server.url);
    await enroll(page, server.enrollmentCode);

    // The shop's network is fine; only the gateway is unreachable.
    await gateway.setFault({ mode: 'down' });
    const [a = '', b = '', c = ''] = await productSkus(page);

    const cardSales: { receiptNo: string; cardResult: string; ms: number }[] = [];
    for (const skus of [[a], [b], [a, c], [c], [b, b]]) {
      const started = Date.now();
      const sale = await ringUpCardSale(page, skus, 'visa');
      cardSales.push({ ...sale, ms: Date.now() - started });
    }
    const cashReceipts = [await ringUpCashSale(page, [a]), await ringUpCashSale(page, [c])];
    console.log('card sale times while the gateway was down (ms):', cardSales.map((sale) => sale.ms).join(', '));

    for (const sale of cardSales) expect(sale.cardResult).toMatch(/stored/i);
    expect(dialogs, 'no error dialog interrupts the cashier').toEqual([]);
    await expect.poll(() => statusCount(page, 'status-stored', 'stored')).toBe(5);
    await expect.poll(() => statusCount(page, 'status-unsent', 'unsent'), { timeout: 30_000 }).toBe(0);
    expect((await gateway.ledger()).charges).toHaveLength(0);
    // A picture of the till during the outage: stored count, total and time left in the status bar.
    const [firstSku = ''] = await productSkus(page);
    await page.getByTestId(`product-${firstSku}`).click();
    await page.getByTestId('tender-card').click();
    await page.getByTestId('test-card-visa').click();
    await page.getByTestId('card-result').waitFor();
    await page.waitForTimeout(500);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'gateway-down-card-stored.png') });
    await page.getByTestId('complete-sale').click();
    await page.getByTestId('receipt').waitFor();
    cardSales.push({
      receiptNo: (await page.getByTestId('receipt-no').textContent())?.trim() ?? '',
      cardResult: 'stored',
      ms: 0,
    });
    await page.getByTestId('new-sale').click();
    await expect.poll(() => statusCount(page, 'status-stored', 'stored')).toBe(6);
    await expect.poll(() => statusCount(page, 'status-unsent', 'unsent'), { timeout: 30_000 }).toBe(0);

    // The gateway comes back; the server's worker forwards every stored payment under its own id.
    await gateway.setFault({ mode: 'up' });
    await expect.poll(() => statusCount(page, 'status-stored', 'stored'), { timeout: 60_000, interval: 1000 }).toBe(0);

    await page.getByTestId('open-history').click();
    for (const { receiptNo } of cardSales) {
      await expect.poll(() => page.getByTestId(`history-row-${receiptNo}`).textContent()).toMatch(/captured/i);
    }

    // I4: the gateway's own ledger holds exactly one successful charge per payment id.
    const db = new Database(server.database, { readonly: true, fileMustExist: true });
    try {
      const payments = db.prepare('select id, amount, state from payments order by id').all() as {
        id: string;
        amount: number;
        state: string;
      }[];
      expect(payments).toHaveLength(cardSales.length);
      expect(payments.every((payment) => payment.state === 'captured')).toBe(true);
      const ledger = await gateway.ledger();
      for (const payment of payments) expect(ledger.counts.succeededByTillPaymentId[payment.id]).toBe(1);
      expect(Object.keys(ledger.counts.succeededByTillPaymentId).sort()).toEqual(payments.map((p) => p.id).sort());

      // I7: the server's totals equal the till's, and the card total is what was captured.
      const tillTotals = await page.evaluate(async () => {
        const open = indexedDB.open('till');
        const idb: IDBDatabase = await new Promise((resolve, reject) => {
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const all: { totals: { total: number }; tenders: { kind: string; amount: number }[] }[] = await new Promise(
          (resolve, reject) => {
            const request = idb.transaction('sales').objectStore('sales').getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          },
        );
        idb.close();
        const card = all.flatMap((sale) => sale.tenders).filter((tender) => tender.kind === 'card');
        return {
          count: all.length,
          total: all.reduce((sum, sale) => sum + sale.totals.total, 0),
          card: card.reduce((sum, tender) => sum + tender.amount, 0),
        };
      });
      const serverTotals = db.prepare('select count(*) as count, sum(total) as total from sales').get() as {
        count: number;
        total: number;
      };
      const captured = payments.reduce((sum, payment) => sum + payment.amount, 0);
      expect(tillTotals.count).toBe(cardSales.length + cashReceipts.length);
      expect(serverTotals).toEqual({ count: tillTotals.count, total: tillTotals.total });
      expect(captured).toBe(tillTotals.card);
    } finally {
      db.close();
    }
    await page.close();
  });
});
