import { type CurrencyCode, isGatewayToken } from '@till/shared/core';

/**
 * What a card reader gives the till: a gateway token for the card, its brand and last 4 digits.
 * Never the card number, expiry or CVV — the till never sees them (I8).
 */
export interface CardRead {
  gatewayToken: string;
  brand: string;
  last4: string;
}

/**
 * A card reader: presents `amount` to the customer and resolves once a card was tapped,
 * inserted or swiped; rejects when `signal` aborts (the cashier cancelled or changed the amount).
 */
export interface CardReader {
  read(amount: number, currency: CurrencyCode, signal: AbortSignal): Promise<CardRead>;
}

/** Why a read gave nothing usable; `code` for programs, `message` for the cashier. */
export class CardReaderError extends Error {
  constructor(
    readonly code: 'pan_refused' | 'invalid_card' | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'CardReaderError';
  }
}

/**
 * True when `token` may be stored and sent: the contract's own check (`isGatewayToken` refuses
 * any run of 12+ digits), so the till and the server can never disagree on what a token may be.
 */
export function isSafeGatewayToken(token: string): boolean {
  return isGatewayToken(token);
}

/**
 * Checks what a reader returned before anything else sees it. A token that could be a card
 * number is refused outright and never echoed back in the error (I8).
 */
export function checkCardRead(read: unknown): CardRead {
  if (typeof read !== 'object' || read === null) throw new CardReaderError('invalid_card', 'The reader sent nothing');
  const { gatewayToken, brand, last4 } = read as Record<string, unknown>;
  if (typeof gatewayToken !== 'string' || !isSafeGatewayToken(gatewayToken)) {
    throw new CardReaderError('pan_refused', 'The reader sent something that is not a gateway token; refused');
  }
  if (typeof brand !== 'string' || !/^[a-z_]{1,20}$/.test(brand)) {
    throw new CardReaderError('invalid_card', 'The reader sent no card brand');
  }
  if (typeof last4 !== 'string' || !/^[0-9]{4}$/.test(last4)) {
    throw new CardReaderError('invalid_card', 'The reader sent no last 4 digits');
  }
  return { gatewayToken, brand, last4 };
}

/** Reads a card through any reader and checks the answer (I8). */
export async function readCard(
  reader: CardReader,
  amount: number,
  currency: CurrencyCode,
  signal: AbortSignal,
): Promise<CardRead> {
  return checkCardRead(await reader.read(amount, currency, signal));
}

/** True for the rejection a read gets when it was cancelled (nothing to show the cashier). */
export function isAbort(error: unknown): boolean {
  return (
    (error instanceof CardReaderError && error.code === 'aborted') ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}
