import { describe, expect, it } from 'vitest';
import { previousDay, storeToday } from './day.ts';

describe('store days on the Today page', () => {
  it('steps back over month and year ends', () => {
    expect(previousDay('2025-03-01')).toBe('2025-02-28');
    expect(previousDay('2024-03-01')).toBe('2024-02-29');
    expect(previousDay('2025-01-01')).toBe('2024-12-31');
  });

  it("takes today from the store's zone, not the browser's", () => {
    const instant = new Date('2025-06-01T02:30:00Z');
    expect(storeToday('America/New_York', instant)).toBe('2025-05-31');
    expect(storeToday('Europe/Berlin', instant)).toBe('2025-06-01');
  });
});
