import Type, { type Static } from 'typebox';
import { CURRENCY_EXPONENTS, type CurrencyCode, MAX_MINOR_UNITS } from '../money.ts';

export { API_PREFIX, ERROR_CODES, PROTOCOL_VERSION } from './constants.ts';

export const Uuid = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'A lowercase hyphenated UUID (sales, tenders and batches use UUIDv7 made on the till)',
});

export const HexHash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lowercase hex SHA-256' });

/** An ISO 8601 instant with an offset, as `Date.prototype.toISOString` writes it. */
export const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 date-time with offset',
});

/** A signed amount in minor units (cents). */
export const MinorUnits = Type.Integer({ minimum: -MAX_MINOR_UNITS, maximum: MAX_MINOR_UNITS });
/** A non-negative amount in minor units. */
export const NonNegativeMinorUnits = Type.Integer({ minimum: 0, maximum: MAX_MINOR_UNITS });

export const Currency = Type.Enum(Object.keys(CURRENCY_EXPONENTS) as CurrencyCode[], {
  description: 'ISO 4217 currency code',
});

export const TaxModeSchema = Type.Union([Type.Literal('inclusive'), Type.Literal('exclusive')]);

/** Every error the API returns has this shape: a code for programs, a message for people. */
export const ApiError = Type.Object(
  {
    error: Type.String({ description: 'Stable machine-readable code, e.g. invalid_request' }),
    message: Type.String({ description: 'What went wrong and what to fix, for a person' }),
    details: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String({ description: 'JSON pointer into the request, e.g. /sales/2/lines/0/qty' }),
          message: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'ApiError' },
);
export type ApiError = Static<typeof ApiError>;
