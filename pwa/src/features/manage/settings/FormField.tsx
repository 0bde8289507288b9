import type { ReactNode } from 'react';

/** A labelled form field with its problem, if any, right under it. */
export function FormField({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={`m-field${error ? ' mo-field--bad' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="mo-hint">{hint}</p>}
      {error && (
        <p className="m-field__error" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
