import { describe, expect, it } from 'vitest';
import { createUuidV7, isUuid, uuidv7, uuidv7Time } from './ids.ts';

describe('UUIDv7 ids made on the till', () => {
  it('has version 7, the RFC 9562 variant and the creation time', () => {
    const id = createUuidV7({ now: () => 1_700_000_000_123, randomBytes: (n) => new Uint8Array(n).fill(0xff) })();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(1_700_000_000_123);
  });

  it('sorts in creation order, even within one millisecond and when the clock steps back', () => {
    let now = 1_700_000_000_000;
    const times = [now, now, now, now - 5, now + 1];
    const next = createUuidV7({
      now: () => times.shift() ?? now,
      randomBytes: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    });
    const ids = Array.from({ length: 5 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    now += 1;
  });

  it('makes distinct ids at volume', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7()));
    expect(ids.size).toBe(10_000);
  });
});
