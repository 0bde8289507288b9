import { formatReceiptNo, type ManagerDevice, type ManagerStore } from '@till/shared/core';
import { type FormEvent, useState } from 'react';
import { DeviceSelect } from '../ui/DeviceSelect.tsx';
import { type SalesForm, toSalesFilters } from './sales-filters.ts';

const EMPTY: SalesForm = {
  receiptNo: '',
  from: '',
  to: '',
  deviceId: '',
  min: '',
  max: '',
  tender: '',
  flagged: false,
};

/** The search as typed; nothing is asked until "Search" (or Enter). Amounts in the store's major units. */
export function SalesSearchForm({
  initial,
  store,
  devices,
  onSearch,
}: {
  initial: SalesForm;
  store: ManagerStore;
  devices: readonly ManagerDevice[] | undefined;
  onSearch: (form: SalesForm) => void;
}) {
  const [form, setForm] = useState(initial);
  const { errors } = toSalesFilters(form, store.currency);
  const set = <K extends keyof SalesForm>(key: K, value: SalesForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (errors.min || errors.max) return;
    onSearch(form);
  };

  return (
    <search className="m-card" aria-label="Search sales">
      <form className="m-toolbar" onSubmit={submit}>
        <label className="m-field">
          <span>Receipt number</span>
          <input
            data-testid="sales-receipt"
            type="search"
            inputMode="text"
            autoComplete="off"
            placeholder={formatReceiptNo(store.code, 1, 104)}
            value={form.receiptNo}
            onChange={(event) => set('receiptNo', event.target.value)}
          />
        </label>
        <label className="m-field">
          <span>From</span>
          <input
            type="date"
            data-testid="sales-from"
            value={form.from}
            onChange={(event) => set('from', event.target.value)}
          />
        </label>
        <label className="m-field">
          <span>To</span>
          <input
            type="date"
            data-testid="sales-to"
            value={form.to}
            onChange={(event) => set('to', event.target.value)}
          />
        </label>
        <DeviceSelect
          devices={devices}
          value={form.deviceId}
          testId="sales-device"
          onChange={(id) => set('deviceId', id)}
        />
        <label className="m-field">
          <span>Min total ({store.currency})</span>
          <input
            data-testid="sales-min"
            inputMode="decimal"
            aria-invalid={errors.min ? true : undefined}
            value={form.min}
            onChange={(event) => set('min', event.target.value)}
          />
          {errors.min && <small className="m-field__error">{errors.min}</small>}
        </label>
        <label className="m-field">
          <span>Max total ({store.currency})</span>
          <input
            data-testid="sales-max"
            inputMode="decimal"
            aria-invalid={errors.max ? true : undefined}
            value={form.max}
            onChange={(event) => set('max', event.target.value)}
          />
          {errors.max && <small className="m-field__error">{errors.max}</small>}
        </label>
        <label className="m-field">
          <span>Paid by</span>
          <select
            data-testid="sales-tender"
            value={form.tender}
            onChange={(event) => set('tender', event.target.value as SalesForm['tender'])}
          >
            <option value="">Cash or card</option>
            <option value="cash">Cash</option>
            <option value="card">Card</option>
          </select>
        </label>
        <label className="m-field m-field--check">
          <input
            type="checkbox"
            data-testid="sales-flagged"
            checked={form.flagged}
            onChange={(event) => set('flagged', event.target.checked)}
          />
          <span>Flagged only</span>
        </label>
        <div className="m-toolbar__actions">
          <button type="submit" className="m-btn m-btn--primary" data-testid="sales-search">
            Search
          </button>
          <button
            type="button"
            className="m-btn"
            onClick={() => {
              setForm(EMPTY);
              onSearch(EMPTY);
            }}
          >
            Clear
          </button>
        </div>
      </form>
    </search>
  );
}
