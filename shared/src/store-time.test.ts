import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, nextDay, storeDayOf, storeDayRange, storeHourOf } from './store-time.ts';

describe('store time', () => {
  it('a store day is midnight to midnight in the store zone', () => {
    expect(storeDayRange('2026-11-23', '2026-11-23', 'America/Chicago')).toEqual({
      from: '2026-11-23T06:00:00.000Z',
      to: '2026-11-24T06:00:00.000Z',
    });
    expect(storeDayRange('2026-07-01', '2026-07-02', 'Europe/Berlin')).toEqual({
      from: '2026-06-30T22:00:00.000Z',
      to: '2026-07-02T22:00:00.000Z',
    });
  });

  it('a DST day is 23 or 25 hours long', () => {
    const spring = storeDayRange('2026-03-08', '2026-03-08', 'America/New_York');
    expect(Date.parse(spring.to) - Date.parse(spring.from)).toBe(23 * 3600_000);
    const autumn = storeDayRange('2026-11-01', '2026-11-01', 'America/New_York');
    expect(Date.parse(autumn.to) - Date.parse(autumn.from)).toBe(25 * 3600_000);
  });

  it('an instant falls on the store day and hour of its zone', () => {
    const instant = new Date('2026-11-24T03:30:00Z');
    expect(storeDayOf(instant, 'America/Chicago')).toBe('2026-11-23');
    expect(storeHourOf(instant, 'America/Chicago')).toBe(21);
    expect(storeDayOf(instant, 'UTC')).toBe('2026-11-24');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
