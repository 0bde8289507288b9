import type { Static } from 'typebox';
import Value from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CurrencyCode } from '../money.ts';
import { Currency } from './common.ts';
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
