import type { PaymentState } from '@till/shared/core';
import { brandName } from '../../card-payments/card-labels.ts';
import { Badge, type BadgeTone } from './Badge.tsx';

const STATES: Record<PaymentState, { word: string; tone: BadgeTone }> = {
  captured: { word: 'captured', tone: 'ok' },
  pending: { word: 'pending', tone: 'neutral' },
  unknown: { word: 'outcome unknown', tone: 'warn' },
  quarantined: { word: 'quarantined', tone: 'bad' },
  declined: { word: 'declined', tone: 'bad' },
  expired: { word: 'expired', tone: 'bad' },
  written_off: { word: 'written off', tone: 'neutral' },
};

/** A card payment's server state as a badge: "captured", "outcome unknown", "written off"… */
export function PaymentStateBadge({ state, testId }: { state: PaymentState; testId?: string }) {
  const { word, tone } = STATES[state] ?? { word: state, tone: 'neutral' };
  return (
    <Badge tone={tone} testId={testId}>
      {word}
    </Badge>
  );
}

/** "Visa •••• 4242": all the console ever shows of a card (I8). */
export function cardLabel(card: { brand?: string | undefined; last4?: string | undefined }): string {
  return `${card.brand ? brandName(card.brand) : 'Card'} •••• ${card.last4 ?? '????'}`;
}
