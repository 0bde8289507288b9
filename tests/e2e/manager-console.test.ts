import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayControl } from '../../scripts/gateway-simulator/control-client.ts';
import { launchChromium } from '../support/browser.ts';
import { type DemoServer, repoRoot, startDemoServer } from '../support/demo-server.ts';
import { enroll, productSkus, ringUpCardSale, ringUpCashSale, statusCount } from '../support/till-page.ts';

let server: DemoServer;
let browser: Browser;
let tillContext: BrowserContext;
let managerContext: BrowserContext;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  tillContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  // The manager works on a laptop, in a browser of their own (their own cookies).
  managerContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const screenshots = join(repoRoot, 'docs', 'screenshots');

function ledger(): Database.Database {
  return new Database(server.database, { readonly: true, fileMustExist: true });
}

async function openShift(page: Page, cashier: string, float: string): Promise<void> {
  await page.getByTestId('shift-open').click();
  await page.getByTestId('shift-cashier').fill(cashier);
  await page.getByTestId('shift-float').fill(float);
  await page.getByTestId('shift-open-submit').click();
  await expect.poll(() => page.getByTestId('shift-status').textContent()).toContain(cashier);
}

/** Closes the till's shift counting exactly what the till expects. */
async function closeShiftBalanced(page: Page): Promise<void> {
  await page.getByTestId('shift-close').click();
  const expected = (await page.getByTestId('shift-expected').textContent()) ?? '';
  const amount = /[\d,]+\.\d{2}/.exec(expected)?.[0]?.replace(/,/g, '');
  if (amount === undefined) throw new Error(`no expected cash amount in "${expected}"`);
  await page.getByTestId('shift-counted').fill(amount);
  await page.getByTestId('shift-close-submit').click();
  await page.getByTestId('shift-summary').waitFor();
}

describe('the manager after an outage day', () => {
  it('[I5][I7][MGR-7][MGR-8][MGR-11] sees the payment declined after forwarding with its receipt and cashier, writes it off with a reason, the day balances, the audit log shows it', async () => {
    if (!server.gatewayControlUrl) throw new Error('the demo start script did not report a gatewayControlUrl');
    const gateway = gatewayControl(server.gatewayControlUrl);

    // The origin incident: the gateway is down, the till keeps selling and stores card payments.
    const till = await tillContext.newPage();
    const cspViolations: string[] = [];
    const watchCsp = (page: Page) =>
      page.on('console', (message) => {
        if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
      });
    watchCsp(till);
    await till.goto(server.url);
    await enroll(till, server.enrollmentCode);
    await openShift(till, 'Sam Cashier', '100.00');
    await gateway.setFault({ mode: 'down' });
    const [a = '', b = '', c = ''] = await productSkus(till);
    const captured = [await ringUpCardSale(till, [a], 'visa'), await ringUpCardSale(till, [b, c], 'mastercard')];
    const declined = await ringUpCardSale(till, [c], 'declined');
    for (const sale of [...captured, declined]) expect(sale.cardResult).toMatch(/stored/i);
    await ringUpCashSale(till, [a, b]);
    await expect.poll(() => statusCount(till, 'status-unsent', 'unsent'), { timeout: 30_000 }).toBe(0);

    // The gateway returns: two payments are captured, the one with the declining card is declined.
    await gateway.setFault({ mode: 'up' });
    await expect
      .poll(
        () => {
          const db = ledger();
          try {
            return db
              .prepare('select state from payments order by state')
              .all()
              .map((row) => (row as { state: string }).state);
          } finally {
            db.close();
          }
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toEqual(['captured', 'captured', 'declined']);
    await closeShiftBalanced(till);
    await expect.poll(() => statusCount(till, 'status-unsent', 'unsent'), { timeout: 30_000 }).toBe(0);

    // The manager signs in to the console.
    const manager = await managerContext.newPage();
    watchCsp(manager);
    await manager.goto(`${server.url}/manage`);
    await manager.getByTestId('manage-email').fill(server.managerEmail);
    await manager.getByTestId('manage-password').fill(server.managerPassword);
    await manager.getByTestId('manage-signin').click();
    await manager.getByTestId('today-total').waitFor({ timeout: 15_000 });
    await manager.getByTestId('alert-declined_after_forwarding').waitFor();
    mkdirSync(screenshots, { recursive: true });
    await manager.waitForTimeout(500);
    await manager.screenshot({ path: join(screenshots, 'manager-today.png'), fullPage: true });

    // Payments → declined after forwarding: the sale's receipt and the cashier are there.
    await manager.getByTestId('nav-payments').click();
    await manager.getByTestId('payments-view-declined').click();
    const row = manager.getByTestId(`payment-row-${declined.receiptNo}`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Sam Cashier');
    await manager.getByTestId(`payment-select-${declined.receiptNo}`).check();
    await manager.getByTestId('payments-write-off').click();
    const reason = 'Customer left before the card was declined; not recoverable';
    await manager.getByTestId('action-reason').fill(reason);
    await manager.getByTestId('action-confirm').click();
    await manager.getByTestId('action-results').waitFor();
    await expect
      .poll(() => manager.getByTestId(`payment-followup-${declined.receiptNo}`).textContent())
      .toMatch(/written off/i);
    await manager.waitForTimeout(300);
    await manager.screenshot({ path: join(screenshots, 'manager-payments.png'), fullPage: true });

    // The end-of-day report balances.
    await manager.getByTestId('nav-report').click();
    await manager.getByTestId('report-verdict').waitFor({ timeout: 15_000 });
    const failing = await manager.locator('[data-testid^="report-check-"][data-ok="false"]').allTextContents();
    expect(failing, 'every reconciliation check passes').toEqual([]);
    await expect
      .poll(() => manager.getByTestId('report-verdict').textContent(), { timeout: 15_000 })
      .toMatch(/balances/i);
    expect(await manager.getByTestId('report-verdict').textContent()).not.toMatch(/not balance/i);

    // The audit log shows who wrote it off, and why.
    await manager.getByTestId('nav-audit').click();
    const entry = manager.getByTestId('audit-row').filter({ hasText: 'payment.write_off' });
    await entry.first().waitFor();
    expect(await entry.first().textContent()).toContain(reason);

    expect(cspViolations, 'the Content-Security-Policy blocks nothing the till or console needs').toEqual([]);

    // And the ledger agrees: the payment stays declined (the gateway's word), followed up by name.
    const db = ledger();
    try {
      const payment = db
        .prepare(
          'select p.state, p.follow_up, p.follow_up_by, p.follow_up_reason from payments p join sales s on s.id = p.sale_id where s.receipt_no = ?',
        )
        .get(declined.receiptNo);
      expect(payment).toMatchObject({ state: 'declined', follow_up: 'written_off', follow_up_reason: reason });
      expect(String((payment as { follow_up_by: string }).follow_up_by)).toContain(server.managerEmail);
      const audit = db.prepare("select * from audit_log where action = 'payment.write_off'").all();
      expect(audit).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
