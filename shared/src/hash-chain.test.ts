import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { chainHash, GENESIS_HASH, isHexHash, sealRecord, sha256Hex, verifyLink } from './hash-chain.ts';

describe('the per-device SHA-256 hash chain', () => {
  it('hashes with WebCrypto SHA-256 (known vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(isHexHash(GENESIS_HASH)).toBe(true);
  });

  it('seals a record over the canonical JSON of everything but its own hash', async () => {
    const record = { prevHash: GENESIS_HASH, deviceSeq: 1, total: 500 };
    const sealed = await sealRecord(record);
    expect(sealed.hash).toBe(await sha256Hex(canonicalJson(record)));
    expect(await chainHash(sealed)).toBe(sealed.hash);
    // member order does not matter
    expect(await chainHash({ total: 500, deviceSeq: 1, prevHash: GENESIS_HASH })).toBe(sealed.hash);
  });

  it('[I3] detects an edited record, and a link that does not follow its predecessor', async () => {
    const first = await sealRecord({ prevHash: GENESIS_HASH, deviceSeq: 1, total: 500 });
    const second = await sealRecord({ prevHash: first.hash, deviceSeq: 2, total: 700 });
    expect(await verifyLink(first, undefined)).toEqual([]);
    expect(await verifyLink(second, first.hash)).toEqual([]);

    const edited = { ...second, total: 1 };
    expect(await verifyLink(edited, first.hash)).toEqual(['hash_invalid']);

    const forked = await sealRecord({ prevHash: GENESIS_HASH, deviceSeq: 2, total: 700 });
    expect(await verifyLink(forked, first.hash)).toEqual(['hash_break']);
  });

  it('[I3] changing any earlier record changes every later hash', async () => {
    const build = async (firstTotal: number) => {
      const a = await sealRecord({ prevHash: GENESIS_HASH, deviceSeq: 1, total: firstTotal });
      const b = await sealRecord({ prevHash: a.hash, deviceSeq: 2, total: 10 });
      return sealRecord({ prevHash: b.hash, deviceSeq: 3, total: 10 });
    };
    expect((await build(500)).hash).not.toBe((await build(501)).hash);
  });
});
