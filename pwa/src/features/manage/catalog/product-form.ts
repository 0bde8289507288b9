import {
  type CurrencyCode,
  currencyExponent,
  type ManagerProduct,
  type ProductInput,
  parseMoney,
  toDecimalString,
} from '@till/shared/core';
import { parseRate, rateInputValue } from './tax-rate.ts';

/** The product dialog's fields as typed: money in major units, the tax rate as a percentage. */
export interface ProductDraft {
  sku: string;
  name: string;
  category: string;
  price: string;
  taxRate: string;
  barcodes: string;
  active: boolean;
}

export const EMPTY_DRAFT: ProductDraft = {
  sku: '',
  name: '',
  category: '',
  price: '',
  taxRate: '',
  barcodes: '',
  active: true,
};

export function draftOf(product: ManagerProduct, currency: CurrencyCode): ProductDraft {
  return {
    sku: product.sku,
    name: product.name,
    category: product.category,
    price: toDecimalString(product.price, currency),
    taxRate: rateInputValue(product.taxRateBp),
    barcodes: product.barcodes.join(', '),
    active: product.active,
  };
}

/** Field (as in the API's JSON pointer, `/price`) → what is wrong with it. */
export type DraftErrors = Partial<Record<keyof ProductDraft, string>>;

export type DraftResult = { ok: true; product: ProductInput } | { ok: false; errors: DraftErrors };

/**
 * The draft as the API takes it, or what to fix. The price goes from major to minor units by the
 * currency's exponent through its decimal string (8.25 → 825 exactly, never through a float).
 */
export function productFromDraft(draft: ProductDraft, currency: CurrencyCode): DraftResult {
  const errors: DraftErrors = {};
  const sku = draft.sku.trim();
  const name = draft.name.trim();
  if (sku === '') errors.sku = 'A SKU is needed.';
  if (name === '') errors.name = 'A name is needed.';
  let price = 0;
  try {
    price = parseMoney(draft.price, currency);
    if (price < 0) errors.price = 'A price cannot be negative.';
  } catch {
    const exponent = currencyExponent(currency);
    errors.price =
      exponent === 0
        ? `Type the price in whole ${currency}, e.g. 350.`
        : `Type the price in ${currency} with up to ${exponent} decimals, e.g. 3.${'5'.padEnd(exponent, '0')}.`;
  }
  const taxRateBp = parseRate(draft.taxRate);
  if (taxRateBp === null) errors.taxRate = 'Type the tax rate as a percentage from 0 to 100, e.g. 8.25.';
  const barcodes = draft.barcodes.split(/[\s,;|]+/).filter((code) => code !== '');
  const badBarcode = barcodes.find((code) => !/^[0-9A-Za-z-]{1,64}$/.test(code));
  if (badBarcode !== undefined) errors.barcodes = `"${badBarcode}" is not a barcode (letters, digits and - only).`;
  if (Object.keys(errors).length > 0 || taxRateBp === null) return { ok: false, errors };
  return {
    ok: true,
    product: { sku, name, category: draft.category.trim(), price, taxRateBp, barcodes, active: draft.active },
  };
}
