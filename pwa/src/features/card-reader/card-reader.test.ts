import { describe, expect, it } from 'vitest';
import { type CardReader, CardReaderError, checkCardRead, isSafeGatewayToken, readCard } from './card-reader.ts';
import { SimulatedTapReader } from './simulated-tap-reader.ts';
import { TEST_CARDS } from './test-cards.ts';

describe('card reader interface', () => {
  it('[I8] a PAN-shaped token is never accepted from any reader', async () => {
    const leaky: CardReader = {
      read: async () => ({ gatewayToken: '4242424242424242', brand: 'visa', last4: '4242' }),
    };
    const error = await readCard(leaky, 100, 'EUR', new AbortController().signal).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(CardReaderError);
    expect((error as CardReaderError).code).toBe('pan_refused');
    expect((error as Error).message).not.toContain('4242424242424242');
    for (const token of ['4000 0566 5566 5556', '5555-5555-5555-4444', '378282246310005', 'pm_4242424242424242']) {
      expect(isSafeGatewayToken(token)).toBe(false);
    }
    expect(() => checkCardRead({ gatewayToken: 'pm_card_visa', brand: 'visa', last4: '42424' })).toThrow(
      CardReaderError,
    );
  });

  it('[I8] every test card is a token, a brand and last 4 only', () => {
    for (const card of TEST_CARDS) {
      expect(checkCardRead(card.read)).toEqual(card.read);
      expect(Object.keys(card.read).sort()).toEqual(['brand', 'gatewayToken', 'last4']);
    }
  });

  it('the simulated reader resolves on a tap, one read at a time, and an abort rejects', async () => {
    const reader = new SimulatedTapReader();
    expect(reader.tap(TEST_CARDS[0]?.read ?? { gatewayToken: 'x', brand: 'x', last4: '0000' })).toBe(false);
    const first = new AbortController();
    const firstRead = reader.read(500, 'EUR', first.signal);
    expect(reader.getPending()).toEqual({ amount: 500, currency: 'EUR' });
    const secondRead = reader.read(700, 'EUR', new AbortController().signal);
    await expect(firstRead).rejects.toMatchObject({ code: 'aborted' });
    expect(reader.getPending()).toEqual({ amount: 700, currency: 'EUR' });
    const mastercard = TEST_CARDS[1]?.read;
    if (!mastercard) throw new Error('no mastercard');
    expect(reader.tap(mastercard)).toBe(true);
    await expect(secondRead).resolves.toEqual(mastercard);
    expect(reader.getPending()).toBeNull();

    const cancelled = new AbortController();
    const thirdRead = reader.read(900, 'EUR', cancelled.signal);
    cancelled.abort();
    await expect(thirdRead).rejects.toMatchObject({ code: 'aborted' });
    expect(reader.getPending()).toBeNull();
  });
});
