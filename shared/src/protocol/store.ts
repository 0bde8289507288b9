import Type, { type Static } from 'typebox';
import { Currency, NonNegativeMinorUnits, TaxModeSchema, Uuid } from './common.ts';

export { defaultCardOfflineLimits } from './constants.ts';

/**
 * Store-and-forward limits for card payments taken while the gateway cannot be reached
 * (manager-set per store). Over a limit the till says so and offers another tender.
 */
export const CardOfflineLimits = Type.Object(
  {
    maxPerPayment: NonNegativeMinorUnits,
    maxTotalPerDevice: NonNegativeMinorUnits,
    maxAgeMinutes: Type.Integer({
      minimum: 1,
      maximum: 60 * 24 * 30,
      description: 'A stored payment not captured within this time of its sale expires, uncharged',
    }),
  },
  { additionalProperties: false },
);
export type CardOfflineLimits = Static<typeof CardOfflineLimits>;

/** What a till needs to know about the store it sells in. */
export const StoreInfo = Type.Object(
  {
    id: Uuid,
    code: Type.String({ pattern: '^[A-Z0-9]{2,8}$', description: 'Short code printed in receipt numbers' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    currency: Currency,
    taxMode: TaxModeSchema,
    locale: Type.String({ minLength: 2, maxLength: 35, description: 'BCP 47 locale for formatting' }),
    timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the store' }),
    address: Type.String({ maxLength: 300 }),
    cardOfflineLimits: CardOfflineLimits,
  },
  { $id: 'StoreInfo' },
);
export type StoreInfo = Static<typeof StoreInfo>;

export const EnrollRequest = Type.Object(
  {
    code: Type.String({ minLength: 6, maxLength: 32, description: 'One-time enrollment code from a manager' }),
    deviceName: Type.String({ minLength: 1, maxLength: 64, description: 'A name people recognise, e.g. "Front till"' }),
    appVersion: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
);
export type EnrollRequest = Static<typeof EnrollRequest>;

export const EnrollResponse = Type.Object({
  deviceId: Uuid,
  deviceNo: Type.Integer({ minimum: 1, description: 'Number of this device within its store' }),
  deviceName: Type.String(),
  deviceToken: Type.String({ description: 'Bearer token; shown once, stored hashed on the server' }),
  tenantName: Type.String(),
  store: StoreInfo,
});
export type EnrollResponse = Static<typeof EnrollResponse>;

/** What the server knows about the calling device; lets a till check its credential. */
export const DeviceInfo = Type.Object({
  deviceId: Uuid,
  deviceNo: Type.Integer({ minimum: 1 }),
  deviceName: Type.String(),
  ackedSeq: Type.Integer({ minimum: 0, description: 'Highest deviceSeq with every earlier seq stored' }),
  store: StoreInfo,
});
export type DeviceInfo = Static<typeof DeviceInfo>;
