import { useState } from 'react';

/** A new-password box with a Show button, so an owner can read out what they typed. */
export function PasswordInput({
  id,
  value,
  maxLength,
  onChange,
  autoComplete = 'new-password',
}: {
  id: string;
  value: string;
  maxLength: number;
  onChange: (password: string) => void;
  autoComplete?: 'new-password' | 'current-password';
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className="mt-password">
      <input
        id={id}
        data-testid={id}
        type={shown ? 'text' : 'password'}
        autoComplete={autoComplete}
        maxLength={maxLength}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <button type="button" className="m-btn" aria-pressed={shown} onClick={() => setShown((show) => !show)}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
