import type { CardRead } from './card-reader.ts';

/** A card the simulated reader offers: the gateway's test tokens, never a card number (I8). */
export interface TestCard {
  testId: string;
  label: string;
  outcome: string;
  read: CardRead;
}

/** Stripe's test PaymentMethods; the gateway simulator answers them the way Stripe does. */
export const TEST_CARDS: readonly TestCard[] = [
  {
    testId: 'test-card-visa',
    label: 'Visa',
    outcome: 'approves',
    read: { gatewayToken: 'pm_card_visa', brand: 'visa', last4: '4242' },
  },
  {
    testId: 'test-card-mastercard',
    label: 'Mastercard',
    outcome: 'approves',
    read: { gatewayToken: 'pm_card_mastercard', brand: 'mastercard', last4: '4444' },
  },
  {
    testId: 'test-card-declined',
    label: 'Visa',
    outcome: 'declines',
    read: { gatewayToken: 'pm_card_chargeDeclined', brand: 'visa', last4: '0002' },
  },
  {
    testId: 'test-card-insufficient',
    label: 'Visa',
    outcome: 'insufficient funds',
    read: { gatewayToken: 'pm_card_chargeDeclinedInsufficientFunds', brand: 'visa', last4: '9995' },
  },
];
