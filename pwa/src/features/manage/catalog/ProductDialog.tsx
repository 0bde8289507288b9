import { type CurrencyCode, currencyExponent, type ManagerProduct, type TaxRate } from '@till/shared/core';
import { useState } from 'react';
import { FormField } from '../settings/FormField.tsx';
import { errorAt, fieldErrorsOf } from '../settings/field-errors.ts';
import { errorMessage } from '../ui/errors.ts';
import { FormDialog } from '../ui/FormDialog.tsx';
import { type DraftErrors, draftOf, EMPTY_DRAFT, type ProductDraft, productFromDraft } from './product-form.ts';
import { formatRate, parseRate, rateInputValue } from './tax-rate.ts';
import { useSaveProduct } from './use-save-product.ts';

interface ProductDialogProps {
  storeId: string;
  currency: CurrencyCode;
  taxRates: TaxRate[];
  /** Null for a new product. */
  product: ManagerProduct | null;
  onClose: () => void;
}

/** Adds or edits one product. The server's 400 details are shown next to the fields they name. */
export function ProductDialog({ storeId, currency, taxRates, product, onClose }: ProductDialogProps) {
  const save = useSaveProduct(storeId);
  const [draft, setDraft] = useState<ProductDraft>(() =>
    product
      ? draftOf(product, currency)
      : { ...EMPTY_DRAFT, taxRate: taxRates[0] ? rateInputValue(taxRates[0].rateBp) : '' },
  );
  const [errors, setErrors] = useState<DraftErrors>({});
  const serverErrors = fieldErrorsOf(save.error);
  const set = (change: Partial<ProductDraft>) => setDraft((previous) => ({ ...previous, ...change }));
  const errorOf = (field: keyof ProductDraft) =>
    errors[field] ?? errorAt(serverErrors, field === 'taxRate' ? '/taxRateBp' : `/${field}`);

  const submit = () => {
    const result = productFromDraft(draft, currency);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    save.mutate(product ? { productId: product.id, product: result.product } : { product: result.product }, {
      onSuccess: onClose,
    });
  };

  const exponent = currencyExponent(currency);
  const typedRate = parseRate(draft.taxRate);
  const knownRate = taxRates.some((rate) => rate.rateBp === typedRate);
  return (
    <FormDialog
      title={product ? `Edit ${product.name}` : 'Add a product'}
      testId="product-dialog"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save"
      submitTestId="product-save"
      pending={save.isPending}
      formClassName="mo-product-form"
    >
      <FormField id="product-sku" label="SKU" error={errorOf('sku')}>
        <input id="product-sku" value={draft.sku} maxLength={64} onChange={(e) => set({ sku: e.target.value })} />
      </FormField>
      <FormField id="product-name" label="Name" error={errorOf('name')}>
        <input id="product-name" value={draft.name} maxLength={120} onChange={(e) => set({ name: e.target.value })} />
      </FormField>
      <FormField id="product-category" label="Category" error={errorOf('category')}>
        <input
          id="product-category"
          value={draft.category}
          maxLength={60}
          onChange={(e) => set({ category: e.target.value })}
        />
      </FormField>
      <FormField id="product-price" label={`Price (${currency})`} error={errorOf('price')}>
        <input
          id="product-price"
          inputMode={exponent === 0 ? 'numeric' : 'decimal'}
          placeholder={exponent === 0 ? '350' : `3.${'5'.padEnd(exponent, '0')}`}
          value={draft.price}
          onChange={(e) => set({ price: e.target.value })}
        />
      </FormField>
      <FormField id="product-tax" label="Tax rate (%)" error={errorOf('taxRate')}>
        <div className="mo-tax-pick">
          {taxRates.length > 0 && (
            <select
              aria-label="Store tax rates"
              value={knownRate && typedRate !== null ? String(typedRate) : ''}
              onChange={(e) => {
                if (e.target.value !== '') set({ taxRate: rateInputValue(Number(e.target.value)) });
              }}
            >
              <option value="">Other…</option>
              {taxRates.map((rate) => (
                <option key={rate.id} value={rate.rateBp}>
                  {rate.name} ({formatRate(rate.rateBp)})
                </option>
              ))}
            </select>
          )}
          <input
            id="product-tax"
            inputMode="decimal"
            value={draft.taxRate}
            onChange={(e) => set({ taxRate: e.target.value })}
          />
        </div>
      </FormField>
      <FormField id="product-barcodes" label="Barcodes (separated by commas)" error={errorOf('barcodes')}>
        <input id="product-barcodes" value={draft.barcodes} onChange={(e) => set({ barcodes: e.target.value })} />
      </FormField>
      <label className="m-field m-field--check">
        <input type="checkbox" checked={draft.active} onChange={(e) => set({ active: e.target.checked })} />
        Active (sold on the tills)
      </label>
      {save.isError && serverErrors.size === 0 && (
        <p className="m-field__error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </FormDialog>
  );
}
