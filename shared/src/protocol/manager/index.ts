/**
 * The manager console's API (`/api/v1/manager/…`, SPEC MGR-*). A manager signs in with e-mail
 * and password and gets a session cookie; every route below the session is scoped to one store
 * the manager may see: `/manager/stores/:storeId/…`. A store, sale, payment, batch or device of
 * another tenant (or of a store the manager may not see) is answered 404, never with data (I10).
 */

export {
  ALERT_KINDS,
  type AlertKind,
  CSRF_HEADER,
  FOLLOW_UPS,
  type FollowUp,
  MANAGER_ROLES,
  type ManagerRole,
  PAYMENT_ACTIONS,
  PAYMENT_VIEWS,
  type PaymentAction,
  type PaymentView,
  SESSION_COOKIE,
} from '../constants.ts';
export * from './audit.ts';
export * from './devices.ts';
export * from './payments.ts';
export * from './report.ts';
export * from './sales.ts';
export * from './session.ts';
export * from './settings.ts';
export * from './shifts.ts';
export * from './team.ts';
export * from './today.ts';
