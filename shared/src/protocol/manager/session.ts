import Type, { type Static } from 'typebox';
import { Currency, MinorUnits, Timestamp, Uuid } from '../common.ts';
import { MANAGER_ROLES } from '../constants.ts';

export const ManagerRoleSchema = Type.Enum([...MANAGER_ROLES]);

/** A calendar day in the store's time zone. */
export const DayString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, store time' });

export const LoginRequest = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const ManagerStore = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  currency: Currency,
  locale: Type.String(),
  timezone: Type.String(),
});
export type ManagerStore = Static<typeof ManagerStore>;

/**
 * The signed-in manager. `csrfToken` must be sent back as the `X-CSRF-Token` header on every
 * request that changes something (MGR-3); the session itself travels only in an httpOnly cookie.
 */
export const ManagerSession = Type.Object({
  manager: Type.Object({ id: Uuid, email: Type.String(), name: Type.String(), role: ManagerRoleSchema }),
  tenant: Type.Object({ id: Uuid, name: Type.String() }),
  stores: Type.Array(ManagerStore),
  csrfToken: Type.String(),
  expiresAt: Timestamp,
});
export type ManagerSession = Static<typeof ManagerSession>;

export const StoreParams = Type.Object({ storeId: Uuid }, { additionalProperties: false });
export type StoreParams = Static<typeof StoreParams>;

export const DayQuery = Type.Object({ date: Type.Optional(DayString) }, { additionalProperties: false });
export type DayQuery = Static<typeof DayQuery>;

/** An inclusive range of store-time days; both default to today. */
export const DateRangeQuery = Type.Object(
  { from: Type.Optional(DayString), to: Type.Optional(DayString) },
  { additionalProperties: false },
);
export type DateRangeQuery = Static<typeof DateRangeQuery>;

export const Amount = Type.Object({ count: Type.Integer({ minimum: 0 }), amount: MinorUnits });
export type Amount = Static<typeof Amount>;

export const Reason = Type.String({ minLength: 3, maxLength: 300, description: 'Why; kept in the audit log' });

export const ReasonRequest = Type.Object({ reason: Reason }, { additionalProperties: false });
export type ReasonRequest = Static<typeof ReasonRequest>;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  before: Type.Optional(Type.String({ maxLength: 80, description: 'Cursor: `nextBefore` of the previous page' })),
};
