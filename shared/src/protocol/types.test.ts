import type { Static } from 'typebox';
import Value from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CurrencyCode } from '../money.ts';
import { Currency } from './common.ts';
import { CardTender, GatewayToken, isGatewayToken } from './sale.ts';
import { type FlagCode, type FlagCodeSchema, PushRequest } from './sync.ts';

describe('protocol schemas', () => {
  it('type enums precisely, so the compiler catches a wrong currency or flag', () => {
    expectTypeOf<Static<typeof Currency>>().toEqualTypeOf<CurrencyCode>();
    expectTypeOf<Static<typeof FlagCodeSchema>>().toEqualTypeOf<FlagCode>();
  });

  it('validates at runtime: a push with a wrong protocol version or extra members is refused', () => {
    const push = { protocolVersion: 1, batchId: '01890a5d-ac96-774b-bcce-b302099a8057', sales: [] };
    expect(Value.Check(PushRequest, push)).toBe(true);
    expect(Value.Check(PushRequest, { ...push, protocolVersion: 2 })).toBe(false);
    expect(Value.Check(PushRequest, { ...push, extra: true })).toBe(false);
    expect(Value.Check(Currency, 'USD')).toBe(true);
    expect(Value.Check(Currency, 'XXX')).toBe(false);
  });
});

describe('card tenders carry gateway tokens only', () => {
  it('[I8] a card number can never pass as a gateway token', () => {
    expect(Value.Check(GatewayToken, 'pm_card_visa')).toBe(true);
    expect(Value.Check(GatewayToken, 'tok_1N3T00LkdIwHu7ix')).toBe(true);
    expect(Value.Check(GatewayToken, '4242424242424242')).toBe(false);
    expect(Value.Check(GatewayToken, '4242 4242 4242 4242')).toBe(false);
    expect(Value.Check(GatewayToken, '378282246310005')).toBe(false);
    expect(Value.Check(GatewayToken, 'tok_4242424242424242')).toBe(false);
    expect(isGatewayToken('pm_card_chargeDeclinedInsufficientFunds')).toBe(true);
    expect(isGatewayToken('pm_4000056655665556_x')).toBe(false);
  });

  it('[I8] a card tender has no place for an expiry or a CVV', () => {
    const tender = {
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      kind: 'card',
      amount: 1250,
      brand: 'visa',
      last4: '4242',
      gatewayToken: 'pm_card_visa',
      entry: 'stored',
      gatewayRef: null,
      storedReason: 'gateway_unavailable',
    };
    expect(Value.Check(CardTender, tender)).toBe(true);
    expect(Value.Check(CardTender, { ...tender, cvv: '123' })).toBe(false);
    expect(Value.Check(CardTender, { ...tender, expiry: '12/30' })).toBe(false);
    expect(Value.Check(CardTender, { ...tender, last4: '42424' })).toBe(false);
  });
});
