import { describe, expect, it } from 'vitest';
import { manageHref, parseRoute } from './router.ts';

describe('console routes', () => {
  it('reads the page and its parameters from the URL', () => {
    const route = parseRoute('/manage/sales', '?receiptNo=S1-2-7&sale=abc');
    expect(route.page).toBe('sales');
    expect(route.params.get('receiptNo')).toBe('S1-2-7');
    expect(route.params.get('sale')).toBe('abc');
  });

  it('shows Today for /manage alone and for a page that does not exist', () => {
    expect(parseRoute('/manage', '').page).toBe('today');
    expect(parseRoute('/manage/', '').page).toBe('today');
    expect(parseRoute('/manage/nope', '').page).toBe('today');
  });

  it('writes a URL without empty parameters', () => {
    expect(manageHref('batches', { from: '2025-01-02', deviceId: '' })).toBe('/manage/batches?from=2025-01-02');
    expect(manageHref('today')).toBe('/manage/today');
  });
});
