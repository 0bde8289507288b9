import type { StoreSettingsResponse } from '@till/shared/core';
import { useMemo, useState } from 'react';
import { errorMessage } from '../ui/errors.ts';
import { money } from '../ui/format.ts';
import { FormField } from './FormField.tsx';
import { errorAt, fieldErrorsOf } from './field-errors.ts';
import { draftOf, type SettingsDraft, type SettingsErrors, settingsFromDraft } from './settings-form.ts';
import { TaxRatesEditor } from './TaxRatesEditor.tsx';
import { useSaveSettings } from './use-save-settings.ts';

/** Fields that show their own errors; anything else the server names is listed above the save button. */
const PLACED = [
  '/name',
  '/address',
  '/timezone',
  '/locale',
  '/taxMode',
  '/taxRates',
  '/cardOfflineLimits/maxPerPayment',
  '/cardOfflineLimits/maxTotalPerDevice',
  '/cardOfflineLimits/maxAgeMinutes',
];

interface SettingsFormProps {
  loaded: StoreSettingsResponse;
  /** Only an owner may change settings (MGR-6); a manager sees them. */
  canEdit: boolean;
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function SettingsForm({ loaded, canEdit }: SettingsFormProps) {
  const currency = loaded.currency;
  const save = useSaveSettings(loaded.storeId);
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(loaded.settings, currency));
  const [localErrors, setLocalErrors] = useState<SettingsErrors>(new Map());
  const zones = useMemo(timeZones, []);
  const errors = localErrors.size > 0 ? localErrors : fieldErrorsOf(save.error);
  const set = (change: Partial<SettingsDraft>) => {
    setDraft((previous) => ({ ...previous, ...change }));
    if (save.isSuccess) save.reset();
  };
  const unplaced = [...errors].filter(
    ([path]) => !PLACED.some((placed) => path === placed || path.startsWith(`${placed}/`)),
  );
  const format = { currency, locale: loaded.settings.locale, timezone: loaded.settings.timezone };
  const limits = loaded.settings.cardOfflineLimits;

  const submit = () => {
    const result = settingsFromDraft(draft, currency);
    if (!result.ok) {
      setLocalErrors(result.errors);
      return;
    }
    setLocalErrors(new Map());
    save.mutate(result.settings);
  };

  return (
    <form
      className="m-form mo-settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (canEdit) submit();
      }}
    >
      <fieldset className="mo-fieldset" disabled={!canEdit}>
        <legend>Store</legend>
        <FormField id="settings-name" label="Name" error={errorAt(errors, '/name')}>
          <input
            id="settings-name"
            data-testid="settings-name"
            value={draft.name}
            maxLength={120}
            onChange={(e) => set({ name: e.target.value })}
          />
        </FormField>
        <FormField id="settings-address" label="Address" error={errorAt(errors, '/address')}>
          <textarea
            id="settings-address"
            rows={2}
            maxLength={300}
            value={draft.address}
            onChange={(e) => set({ address: e.target.value })}
          />
        </FormField>
        <div className="mo-field-row">
          <FormField id="settings-timezone" label="Time zone" error={errorAt(errors, '/timezone')}>
            <input
              id="settings-timezone"
              list="settings-timezones"
              value={draft.timezone}
              onChange={(e) => set({ timezone: e.target.value })}
            />
            <datalist id="settings-timezones">
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </FormField>
          <FormField
            id="settings-locale"
            label="Locale"
            hint="e.g. en-US, de-DE: how amounts and dates are written"
            error={errorAt(errors, '/locale')}
          >
            <input id="settings-locale" value={draft.locale} onChange={(e) => set({ locale: e.target.value })} />
          </FormField>
        </div>
        <div className="mo-field-row">
          <FormField id="settings-tax-mode" label="Prices" error={errorAt(errors, '/taxMode')}>
            <select
              id="settings-tax-mode"
              value={draft.taxMode}
              onChange={(e) => set({ taxMode: e.target.value === 'exclusive' ? 'exclusive' : 'inclusive' })}
            >
              <option value="inclusive">include tax</option>
              <option value="exclusive">exclude tax (added at checkout)</option>
            </select>
          </FormField>
          <FormField id="settings-currency" label="Currency" hint="Fixed once the store has sales">
            <input id="settings-currency" value={`${currency} · store code ${loaded.code}`} readOnly disabled />
          </FormField>
        </div>
      </fieldset>

      <TaxRatesEditor
        rates={draft.taxRates}
        onChange={(taxRates) => set({ taxRates })}
        errors={errors}
        readOnly={!canEdit}
      />

      <fieldset className="mo-fieldset" disabled={!canEdit}>
        <legend>Offline card payments (store and forward)</legend>
        <p className="m-muted">
          When the gateway cannot be reached, tills store card payments and forward them later, within these limits.
          Now: {money(limits.maxPerPayment, format)} per payment, {money(limits.maxTotalPerDevice, format)} per till,
          expiring after {Math.floor(limits.maxAgeMinutes / 60)} h {limits.maxAgeMinutes % 60} min.
        </p>
        <div className="mo-field-row">
          <FormField
            id="settings-limit-per-payment"
            label={`Most per payment (${currency})`}
            error={errorAt(errors, '/cardOfflineLimits/maxPerPayment')}
          >
            <input
              id="settings-limit-per-payment"
              data-testid="settings-limit-per-payment"
              inputMode="decimal"
              value={draft.maxPerPayment}
              onChange={(e) => set({ maxPerPayment: e.target.value })}
            />
          </FormField>
          <FormField
            id="settings-limit-per-device"
            label={`Most stored per till (${currency})`}
            error={errorAt(errors, '/cardOfflineLimits/maxTotalPerDevice')}
          >
            <input
              id="settings-limit-per-device"
              data-testid="settings-limit-per-device"
              inputMode="decimal"
              value={draft.maxTotalPerDevice}
              onChange={(e) => set({ maxTotalPerDevice: e.target.value })}
            />
          </FormField>
        </div>
        <div className="mo-field-row">
          <FormField
            id="settings-expiry-hours"
            label="Expires after (hours)"
            error={errorAt(errors, '/cardOfflineLimits/maxAgeMinutes')}
          >
            <input
              id="settings-expiry-hours"
              data-testid="settings-expiry-hours"
              inputMode="numeric"
              value={draft.expiryHours}
              onChange={(e) => set({ expiryHours: e.target.value })}
            />
          </FormField>
          <FormField id="settings-expiry-minutes" label="and minutes">
            <input
              id="settings-expiry-minutes"
              data-testid="settings-expiry-minutes"
              inputMode="numeric"
              value={draft.expiryMinutes}
              onChange={(e) => set({ expiryMinutes: e.target.value })}
            />
          </FormField>
        </div>
      </fieldset>

      {unplaced.length > 0 && (
        <ul className="m-field__error" data-testid="settings-errors">
          {unplaced.map(([path, message]) => (
            <li key={path}>
              {path || 'Settings'}: {message}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <div className="m-toolbar mo-save-bar">
          <button type="submit" className="m-btn m-btn--primary" data-testid="settings-save" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {save.isSuccess && (
            <span className="mo-ok-text" role="status" data-testid="settings-saved">
              Saved. Tills get these settings on their next sync (catalog version {save.data.catalogVersion}).
            </span>
          )}
          {(localErrors.size > 0 || (save.isError && errors.size > 0)) && (
            <span className="m-field__error" role="alert">
              Some fields need fixing (see above).
            </span>
          )}
          {save.isError && errors.size === 0 && (
            <span className="m-field__error" role="alert">
              {errorMessage(save.error)}
            </span>
          )}
        </div>
      )}
    </form>
  );
}
