import { canonicalJson } from './canonical-json.ts';

/**
 * The per-device hash chain. Each sale carries `prevHash` (the hash of the device's previous
 * sale, or `GENESIS_HASH` for its first) and `hash` = SHA-256 over the canonical JSON of the
 * sale without its own `hash` member. Changing, removing or reordering any past sale breaks
 * every later link, which the server detects (I3).
 *
 * Uses WebCrypto (`globalThis.crypto.subtle`), present in browsers and in Node ≥ 20.
 */
export const GENESIS_HASH = '0'.repeat(64);

const HEX_HASH = /^[0-9a-f]{64}$/;

/** True for a lowercase hex SHA-256 digest. */
export function isHexHash(text: string): boolean {
  return HEX_HASH.test(text);
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a chained record must have: the previous link, and optionally its own hash. */
export interface Chained {
  prevHash: string;
  hash?: string;
}

/** The hash a chained record must carry: SHA-256 of its canonical JSON without `hash`. */
export async function chainHash<T extends Chained>(record: T): Promise<string> {
  const { hash: _ignored, ...body } = record;
  return sha256Hex(canonicalJson(body));
}

/** Returns the record with its `hash` set, linking it after `prevHash`. */
export async function sealRecord<T extends Omit<Chained, 'hash'>>(record: T): Promise<T & { hash: string }> {
  return { ...record, hash: await chainHash(record) };
}

/** Why a link in a chain does not hold. */
export type ChainProblem = 'hash_invalid' | 'hash_break';

/**
 * Checks one link: the record's own hash, and (when the predecessor is known) that `prevHash`
 * is the predecessor's hash. Returns the problems found, empty when the link holds.
 */
export async function verifyLink(
  record: Chained & { hash: string },
  predecessorHash: string | undefined,
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  if ((await chainHash(record)) !== record.hash) problems.push('hash_invalid');
  if (predecessorHash !== undefined && predecessorHash !== record.prevHash) problems.push('hash_break');
  return problems;
}
