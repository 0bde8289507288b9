import type { Page } from 'playwright-core';

/** Drives the till the way a cashier does, through the test ids documented in pwa/README.md. */
export async function enroll(page: Page, code: string, deviceName = 'Front till'): Promise<void> {
  await page.getByTestId('enroll-code').fill(code);
  await page.getByTestId('enroll-name').fill(deviceName);
  await page.getByTestId('enroll-submit').click();
  await page.locator('[data-testid^="product-"]').first().waitFor({ timeout: 30_000 });
}

export async function productSkus(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid^="product-"]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.slice('product-'.length)).filter(Boolean);
}

export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
    });
  });
}

/** Reads the first integer before `word` in a status chip, e.g. "3 unsent" or "5 stored". */
export async function statusCount(page: Page, testId: string, word: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const match = new RegExp(`(\\d+)\\s*${word}`, 'i').exec(text);
  if (!match) throw new Error(`${testId} does not show a "${word}" count: "${text}"`);
  return Number(match[1]);
}

async function finishSale(page: Page): Promise<string> {
  const receipt = page.getByTestId('receipt');
  if (!(await receipt.isVisible())) {
    const complete = page.getByTestId('complete-sale');
    await complete.waitFor();
    await complete.click();
  }
  // I1: the receipt is shown only once the sale is durably in IndexedDB.
  await receipt.waitFor();
  const receiptNo = (await page.getByTestId('receipt-no').textContent())?.trim() ?? '';
  await page.getByTestId('new-sale').click();
  return receiptNo;
}

export async function ringUpCashSale(page: Page, skus: string[]): Promise<string> {
  for (const sku of skus) await page.getByTestId(`product-${sku}`).click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('tender-exact').click();
  return finishSale(page);
}

/** Pays the whole sale by one card from the simulated reader; returns the receipt and what the till said. */
export async function ringUpCardSale(
  page: Page,
  skus: string[],
  card: 'visa' | 'mastercard' | 'declined' | 'insufficient' = 'visa',
): Promise<{ receiptNo: string; cardResult: string }> {
  for (const sku of skus) await page.getByTestId(`product-${sku}`).click();
  await page.getByTestId('tender-card').click();
  await page.getByTestId(`test-card-${card}`).click();
  const result = page.getByTestId('card-result');
  await result.waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () =>
      !/processing|waiting|contacting|taking|…/i.test(
        document.querySelector('[data-testid="card-result"]')?.textContent ?? '',
      ),
    undefined,
    { timeout: 15_000 },
  );
  const cardResult = (await result.textContent())?.trim() ?? '';
  return { receiptNo: await finishSale(page), cardResult };
}
