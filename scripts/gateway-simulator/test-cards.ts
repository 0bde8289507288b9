/**
 * Stripe's own test PaymentMethod ids (docs.stripe.com/testing), with the outcome Stripe gives
 * each. Only last 4 digits and brand exist here — never a card number (I8).
 */
export interface TestCard {
  brand: 'visa' | 'mastercard' | 'amex';
  last4: string;
  /** Absent: the charge succeeds. */
  decline?: CardDecline;
}

export interface CardDecline {
  /** Stripe error `code` (`card_declined`, or a specific code such as `expired_card`). */
  code: string;
  declineCode: string;
  message: string;
}

const declined = (declineCode: string, message = 'Your card was declined.', code = 'card_declined'): CardDecline => ({
  code,
  declineCode,
  message,
});

export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_amex: { brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', decline: declined('generic_decline') },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_chargeDeclinedLostCard: { brand: 'visa', last4: '9987', decline: declined('lost_card') },
  pm_card_chargeDeclinedStolenCard: { brand: 'visa', last4: '9979', decline: declined('stolen_card') },
  pm_card_chargeDeclinedFraudulent: { brand: 'visa', last4: '0019', decline: declined('fraudulent') },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    decline: declined('expired_card', 'Your card has expired.', 'expired_card'),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa',
    last4: '0127',
    decline: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa',
    last4: '0119',
    decline: declined(
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
      'processing_error',
    ),
  },
};

export function findTestCard(token: string): TestCard | undefined {
  return Object.hasOwn(TEST_CARDS, token) ? TEST_CARDS[token] : undefined;
}
