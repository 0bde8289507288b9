import { CURRENCY_EXPONENTS, defaultCardOfflineLimits, type StoreInfo, uuidv7 } from '@till/shared';
import { createManagerAccount, createTenantAndStore, type NewStore } from './admin.ts';
import type { ManagerAuthStore } from './store/console/auth-store.ts';
import type { LedgerAdmin, ProductInput } from './store/ledger-store.ts';

/** The demo store: a US coffee shop, prices before tax (tax exclusive), 8.25 % sales tax. */
export const DEMO_TENANT_NAME = 'Demo Shop';
export const DEMO_STORE: NewStore = {
  code: 'DEMO',
  name: 'Demo Shop — Main Street',
  currency: 'USD',
  taxMode: 'exclusive',
  locale: 'en-US',
  timezone: 'America/New_York',
  address: '1 Main Street, Springfield, IL 62701',
  // $100 per stored card payment, $500 stored per till, 24 hours to capture.
  cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD),
};

/**
 * The demo's owner account, printed by `npm start`. Demo only: a real tenant's first owner is
 * created with `till-admin create-manager`, which asks for a password of its own.
 */
export const DEMO_OWNER = { email: 'owner@demo.test', password: 'till-demo-owner', name: 'Dana Owner' } as const;

const SALES_TAX_BP = 825;
/** Unprepared food to take home is exempt in many US states; one rate of 0 keeps that visible. */
const EXEMPT_BP = 0;

/** [category, name, price in cents, tax rate bp] — SKUs and barcodes are derived. */
const DEMO_PRODUCTS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['Coffee', 'Espresso', 300, SALES_TAX_BP],
  ['Coffee', 'Americano', 350, SALES_TAX_BP],
  ['Coffee', 'Cappuccino', 425, SALES_TAX_BP],
  ['Coffee', 'Latte', 450, SALES_TAX_BP],
  ['Coffee', 'Flat White', 450, SALES_TAX_BP],
  ['Coffee', 'Cold Brew', 475, SALES_TAX_BP],
  ['Bakery', 'Butter Croissant', 375, SALES_TAX_BP],
  ['Bakery', 'Pain au Chocolat', 400, SALES_TAX_BP],
  ['Bakery', 'Blueberry Muffin', 350, SALES_TAX_BP],
  ['Bakery', 'Cinnamon Roll', 425, SALES_TAX_BP],
  ['Bakery', 'Sourdough Loaf', 800, EXEMPT_BP],
  ['Drinks', 'Sparkling Water', 250, SALES_TAX_BP],
  ['Drinks', 'Orange Juice', 400, SALES_TAX_BP],
  ['Drinks', 'Iced Tea', 325, SALES_TAX_BP],
  ['Drinks', 'Lemonade', 350, SALES_TAX_BP],
  ['Snacks', 'Granola Bar', 225, SALES_TAX_BP],
  ['Snacks', 'Sea Salt Chips', 199, SALES_TAX_BP],
  ['Snacks', 'Dark Chocolate Bar', 349, SALES_TAX_BP],
  ['Snacks', 'Trail Mix', 499, SALES_TAX_BP],
  ['Merch', 'Whole Beans 12 oz', 1699, EXEMPT_BP],
  ['Merch', 'Travel Mug', 2400, SALES_TAX_BP],
  ['Merch', 'Tote Bag', 1500, SALES_TAX_BP],
  ['Merch', 'Logo T-Shirt', 2200, SALES_TAX_BP],
  ['Merch', 'Gift Card Sleeve', 100, SALES_TAX_BP],
];

/** Appends the EAN-13 check digit to 12 digits (weights 1, 3, 1, 3… from the left). */
export function ean13(first12: string): string {
  const sum = [...first12].reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3), 0);
  return first12 + String((10 - (sum % 10)) % 10);
}

/** The demo catalog. Barcodes use the 20–29 "in-store" prefix, which no real product carries. */
export function demoProducts(): ProductInput[] {
  return DEMO_PRODUCTS.map(([category, name, price, taxRateBp], index) => {
    const number = String(index + 1).padStart(3, '0');
    return {
      id: uuidv7(),
      sku: `${category.slice(0, 3).toUpperCase()}-${number}`,
      name,
      category,
      barcodes: [ean13(`200000000${number}`)],
      price,
      taxRateBp,
      active: true,
    };
  });
}

/**
 * Creates the demo tenant, store `DEMO` and its catalog, unless a store `DEMO` exists already
 * (then it is returned untouched, so running the demo twice keeps its data).
 */
export async function seedDemo(
  ledger: LedgerAdmin & ManagerAuthStore,
  now: Date = new Date(),
): Promise<{ tenantId: string; store: StoreInfo; created: boolean }> {
  const existing = await ledger.findStoreByCode(DEMO_STORE.code);
  if (existing !== undefined) {
    const { tenantId, ...store } = existing;
    await ensureDemoOwner(ledger, tenantId, now);
    return { tenantId, store, created: false };
  }
  const { tenantId, store } = await createTenantAndStore(
    ledger,
    {
      tenantName: DEMO_TENANT_NAME,
      store: DEMO_STORE,
      taxRates: [
        { id: 'sales', name: 'Sales tax', rateBp: SALES_TAX_BP },
        { id: 'exempt', name: 'Exempt', rateBp: EXEMPT_BP },
      ],
    },
    now,
  );
  await ledger.saveProducts(store.id, demoProducts());
  await ensureDemoOwner(ledger, tenantId, now);
  return { tenantId, store, created: true };
}

/** A ledger seeded before the console existed gets its demo owner on the next start. */
async function ensureDemoOwner(ledger: ManagerAuthStore, tenantId: string, now: Date): Promise<void> {
  if ((await ledger.findManagerByEmail(DEMO_OWNER.email)) !== undefined) return;
  await createManagerAccount(ledger, { tenantId, role: 'owner', storeIds: 'all', ...DEMO_OWNER }, now);
}
