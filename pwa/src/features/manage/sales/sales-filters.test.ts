import { describe, expect, it } from 'vitest';
import { readSalesForm, type SalesForm, salesFormParams, toSalesFilters } from './sales-filters.ts';

const blank: SalesForm = {
  receiptNo: '',
  from: '',
  to: '',
  deviceId: '',
  min: '',
  max: '',
  tender: '',
  flagged: false,
};

describe('sales search amounts', () => {
  it("turns major units into minor units with the store currency's exponent", () => {
    expect(toSalesFilters({ ...blank, min: '12.5', max: '20' }, 'USD').filters).toEqual({
      minTotal: 1250,
      maxTotal: 2000,
    });
    expect(toSalesFilters({ ...blank, min: '1200' }, 'JPY').filters).toEqual({ minTotal: 1200 });
    expect(toSalesFilters({ ...blank, min: '0.125' }, 'KWD').filters).toEqual({ minTotal: 125 });
  });

  it('refuses an amount it would have to round, and a maximum below the minimum', () => {
    expect(toSalesFilters({ ...blank, min: '1.5' }, 'JPY').errors.min).toMatch(/decimal/);
    expect(toSalesFilters({ ...blank, min: 'ten' }, 'USD').errors.min).toBeDefined();
    expect(toSalesFilters({ ...blank, min: '5', max: '4' }, 'USD').errors.max).toMatch(/minimum/);
  });

  it('keeps a search in the URL and reads it back the same', () => {
    const form: SalesForm = {
      ...blank,
      receiptNo: 'S1-2',
      from: '2025-01-01',
      tender: 'card',
      flagged: true,
      min: '3',
    };
    const params = new URLSearchParams(salesFormParams(form));
    expect(readSalesForm(params)).toEqual(form);
    expect(toSalesFilters(form, 'EUR').filters).toEqual({
      receiptNo: 'S1-2',
      from: '2025-01-01',
      tender: 'card',
      flagged: true,
      minTotal: 300,
    });
  });
});
