/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made on the till sort
 * by creation time and never need a server round trip. Monotonic within one generator: two ids
 * made in the same millisecond still sort in creation order.
 */
export interface IdSource {
  now(): number;
  randomBytes(length: number): Uint8Array;
}

const defaultSource: IdSource = {
  now: () => Date.now(),
  randomBytes: (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)),
};

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a lowercase, hyphenated UUID of any version. */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** Makes a UUIDv7 generator over a clock and a random source (inject both in tests). */
export function createUuidV7(source: IdSource = defaultSource): () => string {
  let lastMs = -1;
  let lastCounter = 0;
  return () => {
    let ms = source.now();
    const bytes = source.randomBytes(16);
    // 12-bit counter in rand_a keeps ids in order within one millisecond (RFC 9562 §6.2, method 1).
    let counter = (((bytes[6] ?? 0) & 0x07) << 8) | (bytes[7] ?? 0);
    if (ms <= lastMs) {
      ms = lastMs;
      counter = lastCounter + 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = 0;
      }
    }
    lastMs = ms;
    lastCounter = counter;
    bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
    bytes[2] = (ms >>> 24) & 0xff;
    bytes[3] = (ms >>> 16) & 0xff;
    bytes[4] = (ms >>> 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** The process-wide UUIDv7 generator. */
export const uuidv7: () => string = createUuidV7();

/** The Unix milliseconds stored in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}
