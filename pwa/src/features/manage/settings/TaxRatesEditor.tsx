import { errorAt, type FieldErrors } from './field-errors.ts';
import type { TaxRateDraft } from './settings-form.ts';

interface TaxRatesEditorProps {
  rates: TaxRateDraft[];
  onChange: (rates: TaxRateDraft[]) => void;
  errors: FieldErrors;
  readOnly: boolean;
}

const MAX_RATES = 20;

/** The store's tax rates: id (what products and receipts refer to), name, rate in %. */
export function TaxRatesEditor({ rates, onChange, errors, readOnly }: TaxRatesEditorProps) {
  const update = (key: number, change: Partial<TaxRateDraft>) =>
    onChange(rates.map((rate) => (rate.key === key ? { ...rate, ...change } : rate)));
  const add = () => {
    const key = rates.reduce((max, rate) => Math.max(max, rate.key), -1) + 1;
    onChange([...rates, { key, id: '', name: '', rate: '' }]);
  };
  const listError = errors.get('/taxRates');
  return (
    <fieldset className="mo-fieldset" disabled={readOnly}>
      <legend>Tax rates</legend>
      {rates.length === 0 && <p className="m-muted">No tax rates.</p>}
      {rates.map((rate, index) => {
        const at = `/taxRates/${index}`;
        const rowError = [errorAt(errors, `${at}/id`), errorAt(errors, `${at}/name`), errorAt(errors, `${at}/rateBp`)]
          .filter(Boolean)
          .join(' ');
        const ownError = errors.get(at);
        return (
          <div key={rate.key} className="mo-tax-row" data-testid={`settings-tax-rate-${index}`}>
            <div className="m-field">
              <label htmlFor={`tax-${rate.key}-id`}>Id</label>
              <input
                id={`tax-${rate.key}-id`}
                className="m-mono"
                value={rate.id}
                maxLength={32}
                aria-invalid={errorAt(errors, `${at}/id`) !== undefined}
                onChange={(event) => update(rate.key, { id: event.target.value })}
              />
            </div>
            <div className="m-field mo-grow">
              <label htmlFor={`tax-${rate.key}-name`}>Name</label>
              <input
                id={`tax-${rate.key}-name`}
                value={rate.name}
                maxLength={60}
                aria-invalid={errorAt(errors, `${at}/name`) !== undefined}
                onChange={(event) => update(rate.key, { name: event.target.value })}
              />
            </div>
            <div className="m-field mo-rate">
              <label htmlFor={`tax-${rate.key}-rate`}>Rate %</label>
              <input
                id={`tax-${rate.key}-rate`}
                inputMode="decimal"
                value={rate.rate}
                aria-invalid={errorAt(errors, `${at}/rateBp`) !== undefined}
                onChange={(event) => update(rate.key, { rate: event.target.value })}
              />
            </div>
            {!readOnly && (
              <button
                type="button"
                className="m-btn mo-remove"
                aria-label={`Remove tax rate ${rate.name || index + 1}`}
                onClick={() => onChange(rates.filter((other) => other.key !== rate.key))}
              >
                Remove
              </button>
            )}
            {(rowError || ownError) && <p className="m-field__error mo-tax-row__error">{rowError || ownError}</p>}
          </div>
        );
      })}
      {listError && <p className="m-field__error">{listError}</p>}
      {!readOnly && rates.length < MAX_RATES && (
        <button type="button" className="m-btn" data-testid="settings-add-tax-rate" onClick={add}>
          Add a tax rate
        </button>
      )}
    </fieldset>
  );
}
