import type { ReactNode } from 'react';

/** One headline figure: a label above, the figure big, an optional line of detail below. */
export function Stat({
  label,
  value,
  detail,
  testId,
  tone,
}: {
  label: ReactNode;
  value: ReactNode;
  detail?: ReactNode;
  /** Set on the figure itself, so a test reads exactly the figure. */
  testId?: string;
  tone?: 'ok' | 'warn' | 'bad';
}) {
  return (
    <div className={`m-stat${tone ? ` m-stat--${tone}` : ''}`}>
      <div className="m-stat__label">{label}</div>
      <div className="m-stat__value" data-testid={testId}>
        {value}
      </div>
      {detail !== undefined && <div className="m-stat__detail">{detail}</div>}
    </div>
  );
}
