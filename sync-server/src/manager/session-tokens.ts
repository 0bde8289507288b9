import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256HexSync } from '../credentials.ts';

/**
 * Session tokens (the `till_session` cookie value): 32 random bytes, stored only as SHA-256.
 * The CSRF token is derived from the session token, so the server can hand it out again on
 * `GET /manager/session` without storing it in the clear; only a page that can read the
 * session answer (same origin) learns it.
 */

const SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isSessionToken(value: string | undefined): value is string {
  return value !== undefined && SESSION_PATTERN.test(value);
}

export function sessionHash(token: string): string {
  return sha256HexSync(token);
}

export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`till-csrf:${sessionToken}`).digest('base64url');
}

/** Constant-time check of a presented CSRF token against the session's. */
export function csrfMatches(sessionToken: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The value of one cookie in a `Cookie:` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}
