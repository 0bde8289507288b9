/**
 * Action codes offered in the filter (the field also takes any other code). The server writes
 * these (MGR-8); a code missing here can still be typed.
 */
export const KNOWN_AUDIT_ACTIONS = [
  'session.sign_in',
  'session.sign_out',
  'device.enrollment_code',
  'device.revoke',
  'payment.retry_now',
  'payment.write_off',
  'payment.resolve_paid_elsewhere',
  'settings.update',
  'manager.create',
  'manager.update',
  'manager.password',
  'product.create',
  'product.update',
  'catalog.import',
] as const;
