import { type CurrencyCode, parseMoney, type StoreSettings, toDecimalString } from '@till/shared/core';
import { parseRate, rateInputValue } from '../catalog/tax-rate.ts';

export interface TaxRateDraft {
  /** Stable React key while rows are added and removed. */
  key: number;
  id: string;
  name: string;
  rate: string;
}

/** The settings form as typed: money in major units, rates in %, expiry in hours and minutes. */
export interface SettingsDraft {
  name: string;
  address: string;
  timezone: string;
  locale: string;
  taxMode: StoreSettings['taxMode'];
  taxRates: TaxRateDraft[];
  maxPerPayment: string;
  maxTotalPerDevice: string;
  expiryHours: string;
  expiryMinutes: string;
}

export function draftOf(settings: StoreSettings, currency: CurrencyCode): SettingsDraft {
  const limits = settings.cardOfflineLimits;
  return {
    name: settings.name,
    address: settings.address,
    timezone: settings.timezone,
    locale: settings.locale,
    taxMode: settings.taxMode,
    taxRates: settings.taxRates.map((rate, index) => ({
      key: index,
      id: rate.id,
      name: rate.name,
      rate: rateInputValue(rate.rateBp),
    })),
    maxPerPayment: toDecimalString(limits.maxPerPayment, currency),
    maxTotalPerDevice: toDecimalString(limits.maxTotalPerDevice, currency),
    expiryHours: String(Math.floor(limits.maxAgeMinutes / 60)),
    expiryMinutes: String(limits.maxAgeMinutes % 60),
  };
}

/** JSON pointer (as the API names fields, `/cardOfflineLimits/maxPerPayment`) → problem. */
export type SettingsErrors = Map<string, string>;

export type SettingsResult = { ok: true; settings: StoreSettings } | { ok: false; errors: SettingsErrors };

function money(text: string, currency: CurrencyCode): number | null {
  try {
    const amount = parseMoney(text, currency);
    return amount >= 0 ? amount : null;
  } catch {
    return null;
  }
}

function wholeNumber(text: string): number | null {
  return /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : null;
}

/**
 * The draft as the API takes it, or what to fix, keyed like the server's 400 details so both
 * show in the same place. The server checks everything again (time zone, ranges, ids).
 */
export function settingsFromDraft(draft: SettingsDraft, currency: CurrencyCode): SettingsResult {
  const errors: SettingsErrors = new Map();
  if (draft.name.trim() === '') errors.set('/name', 'The store needs a name.');
  const taxRates = draft.taxRates.map((row, index) => {
    const rateBp = parseRate(row.rate);
    if (!/^[a-z0-9_-]{1,32}$/.test(row.id.trim())) {
      errors.set(`/taxRates/${index}/id`, 'Lower-case letters, digits, - and _ (up to 32).');
    }
    if (row.name.trim() === '') errors.set(`/taxRates/${index}/name`, 'A name is needed.');
    if (rateBp === null) errors.set(`/taxRates/${index}/rateBp`, 'A percentage from 0 to 100, e.g. 8.25.');
    return { id: row.id.trim(), name: row.name.trim(), rateBp: rateBp ?? 0 };
  });
  const ids = taxRates.map((rate) => rate.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) errors.set(`/taxRates/${index}/id`, `"${id}" is used twice.`);
  });
  const maxPerPayment = money(draft.maxPerPayment, currency);
  if (maxPerPayment === null) errors.set('/cardOfflineLimits/maxPerPayment', `An amount in ${currency}, e.g. 100.`);
  const maxTotalPerDevice = money(draft.maxTotalPerDevice, currency);
  if (maxTotalPerDevice === null) {
    errors.set('/cardOfflineLimits/maxTotalPerDevice', `An amount in ${currency}, e.g. 500.`);
  }
  const hours = wholeNumber(draft.expiryHours || '0');
  const minutes = wholeNumber(draft.expiryMinutes || '0');
  const maxAgeMinutes = hours === null || minutes === null ? null : hours * 60 + minutes;
  if (maxAgeMinutes === null || maxAgeMinutes < 1 || maxAgeMinutes > 60 * 24 * 30) {
    errors.set('/cardOfflineLimits/maxAgeMinutes', 'Between 1 minute and 30 days (720 h).');
  }
  if (errors.size > 0 || maxPerPayment === null || maxTotalPerDevice === null || maxAgeMinutes === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    settings: {
      name: draft.name.trim(),
      address: draft.address.trim(),
      timezone: draft.timezone.trim(),
      locale: draft.locale.trim(),
      taxMode: draft.taxMode,
      taxRates,
      cardOfflineLimits: { maxPerPayment, maxTotalPerDevice, maxAgeMinutes },
    },
  };
}
