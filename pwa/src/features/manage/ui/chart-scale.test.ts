import { describe, expect, it } from 'vitest';
import { niceTicks } from './chart-scale.ts';

describe('niceTicks', () => {
  it('ends at or above the largest value, on round steps', () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });

  it('steps by whole units for small counts', () => {
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
  });

  it('has an axis even when every value is zero', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
