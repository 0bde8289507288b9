import type { StoreSettings } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import { ManageApiError } from '../api/client.ts';
import { errorAt, fieldErrorsOf } from './field-errors.ts';
import { draftOf, settingsFromDraft } from './settings-form.ts';

const settings: StoreSettings = {
  name: 'Demo Shop',
  address: '1 Main St',
  timezone: 'America/New_York',
  locale: 'en-US',
  taxMode: 'exclusive',
  taxRates: [{ id: 'std', name: 'Standard', rateBp: 825 }],
  cardOfflineLimits: { maxPerPayment: 10_000, maxTotalPerDevice: 50_000, maxAgeMinutes: 90 },
};

describe('settings form', () => {
  it('round-trips the settings through the form without changing them', () => {
    const draft = draftOf(settings, 'USD');
    expect(draft).toMatchObject({ maxPerPayment: '100.00', expiryHours: '1', expiryMinutes: '30' });
    expect(settingsFromDraft(draft, 'USD')).toEqual({ ok: true, settings });
  });

  it('keys its own problems like the server does, so both show at the same field', () => {
    const draft = { ...draftOf(settings, 'USD'), maxPerPayment: '1.234', expiryHours: '0', expiryMinutes: '0' };
    draft.taxRates = [...draft.taxRates, { key: 9, id: 'std', name: '', rate: '120' }];
    const result = settingsFromDraft(draft, 'USD');
    expect(result.ok).toBe(false);
    const errors = result.ok ? new Map() : result.errors;
    expect([...errors.keys()].sort()).toEqual([
      '/cardOfflineLimits/maxAgeMinutes',
      '/cardOfflineLimits/maxPerPayment',
      '/taxRates/1/id',
      '/taxRates/1/name',
      '/taxRates/1/rateBp',
    ]);
  });

  it('places a 400 answer next to the fields it names', () => {
    const error = new ManageApiError(400, 'invalid_request', 'Some settings are not valid', [
      { path: '/timezone', message: 'not an IANA time zone' },
      { path: '/cardOfflineLimits/maxPerPayment', message: 'too large' },
    ]);
    const errors = fieldErrorsOf(error);
    expect(errorAt(errors, '/timezone')).toBe('not an IANA time zone');
    expect(errorAt(errors, '/cardOfflineLimits')).toBe('too large');
    expect(errorAt(errors, '/name')).toBeUndefined();
    expect(fieldErrorsOf(new ManageApiError(403, 'forbidden', 'no')).size).toBe(0);
  });
});
