import type { CurrencyCode } from '@till/shared/core';
import { Keypad } from '../sell/Keypad.tsx';
import { pressAmountKey } from './shift-form.ts';

interface AmountFieldProps {
  id: string;
  label: string;
  testId: string;
  value: string;
  onChange: (text: string) => void;
  currency: CurrencyCode;
  placeholder?: string;
  /** Show the on-screen keypad beside the field (digits in minor units, like the cash keypad). */
  keypad?: boolean;
  autoFocus?: boolean;
}

/** A money amount in major units ("150.00"): typed on a keyboard or tapped on the keypad. */
export function AmountField(props: AmountFieldProps) {
  const { id, label, testId, value, onChange, currency } = props;
  return (
    <div className="shift-amount">
      <label className="shift-field" htmlFor={id}>
        {label}
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          data-testid={testId}
          placeholder={props.placeholder}
          value={value}
          // biome-ignore lint/a11y/noAutofocus: a dialog opened for this one figure; the cashier types it next
          autoFocus={props.autoFocus}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {props.keypad && <Keypad onKey={(key) => onChange(pressAmountKey(value, key, currency))} />}
    </div>
  );
}
