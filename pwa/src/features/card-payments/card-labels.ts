import type { CardTender } from '@till/shared/core';
import type { CardPaymentState } from '../../db/index.ts';

const BRAND_NAMES: Readonly<Record<string, string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

/** "visa" → "Visa"; an unknown brand is shown as the reader named it. */
export function brandName(brand: string): string {
  return BRAND_NAMES[brand] ?? brand;
}

/** "Visa ···· 4242": all the receipt or screen ever shows of a card (I8). */
export function cardName(card: { brand: string; last4: string }): string {
  return `${brandName(card.brand)} ···· ${card.last4}`;
}

/** The receipt's word on a card tender. */
export function receiptCardStatus(tender: CardTender): string {
  if (tender.entry === 'live') return tender.gatewayRef ? `Approved (ref ${tender.gatewayRef})` : 'Approved';
  return 'Stored: will be charged when the connection returns';
}

/** A journal state as one word or two for lists: `written_off` → "written off". */
export function cardStateWord(state: CardPaymentState): string {
  return state.replace('_', ' ');
}
