import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON (RFC 8785 style)', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text for the same value whatever the key insertion order', () => {
    const one = { id: 'x', lines: [{ qty: 1, sku: 'A' }], total: 5 };
    const two = { total: 5, lines: [{ sku: 'A', qty: 1 }], id: 'x' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 requires', () => {
    // RFC 8785 §3.2.3 example ordering: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33"
    const value = { '\ufb33': 1, '\u20ac': 2, '\ud83d\ude00': 3, '\u00f6': 4, '\u0080': 5, '1': 6, '\r': 7 };
    expect(Object.keys(JSON.parse(canonicalJson(value)))).toEqual([
      '1',
      '\r',
      '\u0080',
      '\u00f6',
      '\u20ac',
      '\ud83d\ude00',
      '\ufb33',
    ]);
    expect(canonicalJson(value).indexOf('\\r')).toBeLessThan(canonicalJson(value).indexOf('\u0080'));
  });

  it('serialises numbers and strings as ECMAScript does (RFC 8785 §3.2.2)', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1, 100, 'é\n"'])).toBe('[1e+21,1e-7,0,0.1,100,"é\\n\\""]');
  });

  it('omits undefined members and refuses values JSON cannot carry', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\$\.a/);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/plain objects/);
  });
});
