import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * Device tokens and enrollment codes. Both are high-entropy random secrets, so a plain SHA-256
 * is the right way to store them (no salt or slow hash needed: there is nothing to guess from),
 * and the server keeps only that hash.
 */

const TOKEN_PREFIX = 'till_dev_';
/** `till_dev_` + 32 random bytes, base64url (43 characters). */
const TOKEN_PATTERN = /^till_dev_[A-Za-z0-9_-]{43}$/;

/** A new bearer token for a device. Shown once, in the enrollment response. */
export function newDeviceToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function sha256HexSync(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The token in an `Authorization: Bearer …` header, or undefined when it is not one of ours. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const token = match?.[1];
  return token !== undefined && TOKEN_PATTERN.test(token) ? token : undefined;
}

/** Upper-case letters and digits without the ones people misread (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

/** A new one-time enrollment code, `XXXX-XXXX-XXXX` (about 59 bits). */
export function newEnrollmentCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8)].map((group) => group.join('')).join('-');
}

/** What a person typed, in the form codes are hashed in: upper case, no spaces or hyphens. */
export function normaliseEnrollmentCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]+/g, '');
}

export function hashEnrollmentCode(typed: string): string {
  return sha256HexSync(normaliseEnrollmentCode(typed));
}
