import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, productFromDraft } from './product-form.ts';
import { formatRate, parseRate } from './tax-rate.ts';

const draft = { ...EMPTY_DRAFT, sku: ' COF-1 ', name: 'Coffee', price: '3.50', taxRate: '8.25' };

describe('product form', () => {
  it('turns a typed price into minor units by the currency exponent', () => {
    expect(productFromDraft(draft, 'USD')).toMatchObject({ ok: true, product: { sku: 'COF-1', price: 350 } });
    expect(productFromDraft({ ...draft, price: '350' }, 'JPY')).toMatchObject({ ok: true, product: { price: 350 } });
    expect(productFromDraft({ ...draft, price: '1.125' }, 'KWD')).toMatchObject({ ok: true, product: { price: 1125 } });
  });

  it('refuses more decimals than the currency has instead of rounding them away', () => {
    const result = productFromDraft({ ...draft, price: '3.505' }, 'USD');
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.errors.price).toMatch(/up to 2 decimals/);
    expect(productFromDraft({ ...draft, price: '3.5' }, 'JPY').ok).toBe(false);
  });

  it('reads barcodes separated by commas or spaces and names a bad one', () => {
    expect(productFromDraft({ ...draft, barcodes: '123, 456 789' }, 'USD')).toMatchObject({
      ok: true,
      product: { barcodes: ['123', '456', '789'] },
    });
    const result = productFromDraft({ ...draft, barcodes: '12#3' }, 'USD');
    expect(result.ok ? undefined : result.errors.barcodes).toContain('12#3');
  });

  it('converts tax percentages to basis points exactly and back', () => {
    expect(parseRate('8.25')).toBe(825);
    expect(parseRate('7.5 %')).toBe(750);
    expect(parseRate('20')).toBe(2000);
    expect(parseRate('0.07')).toBe(7);
    expect(parseRate('100.01')).toBeNull();
    expect(parseRate('8.255')).toBeNull();
    expect(parseRate('abc')).toBeNull();
    expect(formatRate(825)).toBe('8.25 %');
    expect(formatRate(750)).toBe('7.5 %');
    expect(formatRate(7)).toBe('0.07 %');
    expect(formatRate(2000)).toBe('20 %');
  });
});
