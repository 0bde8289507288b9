import type { ReactNode } from 'react';

export type BadgeTone = 'ok' | 'warn' | 'bad' | 'neutral';

/** A short word in a coloured pill: a state, a flag, a role. The word itself carries the meaning, not the colour. */
export function Badge({
  tone = 'neutral',
  title,
  testId,
  children,
}: {
  tone?: BadgeTone;
  title?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <span className={`m-badge m-badge--${tone}`} title={title} data-testid={testId}>
      {children}
    </span>
  );
}
