import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Manager passwords, stored with scrypt — memory-hard, so guessing in bulk on GPUs is
 * expensive — as `scrypt$N$r$p$salt$hash` (base64url). The parameters travel with each hash, so
 * raising the cost later needs no migration: old hashes still verify.
 */

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8: 32 MiB and ~50–100 ms per hash on a small server (OWASP's scrypt minimum is 2^17 with r = 8, p = 1 at 128 MiB; this is its lower-memory equivalent with p = 1). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** The stored form of a new password. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false for anything malformed. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((value) => Number.isInteger(value) && value > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a password nobody has, verified when the e-mail is unknown, so a sign-in with an
 * unknown e-mail takes as long as one with a wrong password (no account probing by timing).
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(18).toString('base64url'));
  return decoy;
}

/** What a new password must be: long enough to resist guessing; no composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 10) return 'A password needs at least 10 characters';
  if (password.length > 200) return 'A password can have at most 200 characters';
  return undefined;
}
