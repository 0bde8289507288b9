import Type, { type Static } from 'typebox';
import { Timestamp, Uuid } from '../common.ts';
import { ManagerRoleSchema } from './session.ts';

/** Whether an account may sign in; a disabled account's sessions end at once (MGR-14). */
export const ManagerStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
export type ManagerStatus = Static<typeof ManagerStatusSchema>;

/** Which stores an account may see: every store of the tenant (present and future), or a list. */
export const StoreAccess = Type.Union([Type.Literal('all'), Type.Array(Uuid, { maxItems: 200 })], {
  description: '"all" (required for an owner), or the ids of stores of the tenant',
});
export type StoreAccess = Static<typeof StoreAccess>;

/** One manager account of the tenant, as the Team page lists it (MGR-14). Never a password or hash. */
export const ManagerAccountRow = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: ManagerRoleSchema,
  status: ManagerStatusSchema,
  allStores: Type.Boolean(),
  storeIds: Type.Array(Uuid, { description: 'The stores of the list; empty when allStores' }),
  createdAt: Timestamp,
  lastSignInAt: Type.Union([Timestamp, Type.Null()]),
});
export type ManagerAccountRow = Static<typeof ManagerAccountRow>;

export const ManagerAccountsResponse = Type.Object({ accounts: Type.Array(ManagerAccountRow) });
export type ManagerAccountsResponse = Static<typeof ManagerAccountsResponse>;

export const ManagerAccountParams = Type.Object({ managerId: Uuid }, { additionalProperties: false });
export type ManagerAccountParams = Static<typeof ManagerAccountParams>;

/** A new password: 10 to 200 characters, no composition rules (checked by the route, MGR-14). */
export const NewPassword = Type.String({ maxLength: 200, description: 'At least 10 characters' });

export const AccountName = Type.String({ minLength: 1, maxLength: 120 });

/** An owner adds an account (MGR-14); the e-mail is stored lower-cased and is unique across tenants. */
export const NewManagerAccountRequest = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, description: 'Trimmed and lower-cased; must contain an @' }),
    name: AccountName,
    role: ManagerRoleSchema,
    storeIds: StoreAccess,
    password: NewPassword,
  },
  { additionalProperties: false },
);
export type NewManagerAccountRequest = Static<typeof NewManagerAccountRequest>;

/** An owner changes an account (MGR-14): the whole of it but its e-mail and password. */
export const ManagerAccountChange = Type.Object(
  { name: AccountName, role: ManagerRoleSchema, storeIds: StoreAccess, status: ManagerStatusSchema },
  { additionalProperties: false },
);
export type ManagerAccountChange = Static<typeof ManagerAccountChange>;

export const SetPasswordRequest = Type.Object(
  {
    password: NewPassword,
    currentPassword: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Required to change your own password: a stolen session alone cannot take the account over',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SetPasswordRequest = Static<typeof SetPasswordRequest>;
