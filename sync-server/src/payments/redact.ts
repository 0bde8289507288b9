/**
 * Gateway tokens, API keys and anything shaped like a card number, blanked out of free text
 * (gateway error messages) before it is logged or stored in the attempt log (I8). The token a
 * payment needs lives in its own column; it never has to be copied into a message.
 */
const SECRET =
  /\b(pm|tok|card|src|sk|rk|seti)_[A-Za-z0-9_]{3,}|\bpi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+|\b(?:\d[ -]?){12,19}\b/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET, (_match, prefix: string | undefined) => (prefix ? `${prefix}_[redacted]` : '[redacted]'));
}

/**
 * Log redaction paths for pino (in addition to the authorization header): gateway tokens and
 * the gateway key wherever an object carrying them might be logged.
 */
export const SECRET_LOG_PATHS = [
  'gatewayToken',
  '*.gatewayToken',
  '*.*.gatewayToken',
  'gateway_token',
  '*.gateway_token',
  '*.*.gateway_token',
  'apiKey',
  '*.apiKey',
  'req.body',
];
