import { type CurrencyCode, parseMoney } from '@till/shared/core';

/** The search form as typed, and as kept in the URL (amounts in major units, e.g. "12.50"). */
export interface SalesForm {
  receiptNo: string;
  from: string;
  to: string;
  deviceId: string;
  min: string;
  max: string;
  tender: '' | 'cash' | 'card';
  flagged: boolean;
}

/** What the server is asked (`GET /sales`), amounts in minor units. */
export interface SalesFilters {
  receiptNo?: string;
  from?: string;
  to?: string;
  deviceId?: string;
  minTotal?: number;
  maxTotal?: number;
  tender?: 'cash' | 'card';
  flagged?: boolean;
}

export function readSalesForm(params: URLSearchParams): SalesForm {
  const tender = params.get('tender');
  return {
    receiptNo: params.get('receiptNo') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    deviceId: params.get('deviceId') ?? '',
    min: params.get('min') ?? '',
    max: params.get('max') ?? '',
    tender: tender === 'cash' || tender === 'card' ? tender : '',
    flagged: params.get('flagged') === 'true',
  };
}

/** The URL parameters of a search (empty fields left out). */
export function salesFormParams(form: SalesForm): Record<string, string> {
  const params: Record<string, string> = {};
  const text = { receiptNo: form.receiptNo.trim(), from: form.from, to: form.to, deviceId: form.deviceId };
  for (const [key, value] of Object.entries(text)) if (value) params[key] = value;
  if (form.min.trim()) params.min = form.min.trim();
  if (form.max.trim()) params.max = form.max.trim();
  if (form.tender) params.tender = form.tender;
  if (form.flagged) params.flagged = 'true';
  return params;
}

function amount(text: string, currency: CurrencyCode): { value?: number; error?: string } {
  if (text.trim() === '') return {};
  try {
    const value = parseMoney(text, currency);
    return value < 0 ? { error: 'Must not be negative' } : { value };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'Not an amount' };
  }
}

/**
 * The server query for a search: amounts from major units to minor units with the store
 * currency's exponent (JPY 0, USD 2, KWD 3 decimals); a bad amount is an error, never guessed.
 */
export function toSalesFilters(
  form: SalesForm,
  currency: CurrencyCode,
): { filters: SalesFilters; errors: { min?: string; max?: string } } {
  const min = amount(form.min, currency);
  const max = amount(form.max, currency);
  const errors: { min?: string; max?: string } = {};
  if (min.error) errors.min = min.error;
  if (max.error) errors.max = max.error;
  if (min.value !== undefined && max.value !== undefined && min.value > max.value) {
    errors.max = 'Must not be below the minimum';
  }
  const filters: SalesFilters = {};
  if (form.receiptNo.trim()) filters.receiptNo = form.receiptNo.trim();
  if (form.from) filters.from = form.from;
  if (form.to) filters.to = form.to;
  if (form.deviceId) filters.deviceId = form.deviceId;
  if (min.value !== undefined) filters.minTotal = min.value;
  if (max.value !== undefined) filters.maxTotal = max.value;
  if (form.tender) filters.tender = form.tender;
  if (form.flagged) filters.flagged = true;
  return { filters, errors };
}
