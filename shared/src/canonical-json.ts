/**
 * Canonical JSON in the style of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings serialised as ECMAScript `JSON.stringify` does (which is what
 * JCS specifies for them). The same value gives the same bytes on the till and on the server,
 * which is what makes a hash over it comparable.
 *
 * Rejects what JSON cannot carry faithfully: non-finite numbers, `undefined` in arrays, BigInt,
 * functions, and non-plain objects. `undefined` object members are omitted, like JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$');
}

function serialise(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((item, index) => {
            if (item === undefined) throw new TypeError(`${path}[${index}] is undefined`);
            return serialise(item, `${path}[${index}]`);
          })
          .join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError(`${path}: only plain objects have a canonical form`);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort(compareUtf16)
        .map((key) => `${JSON.stringify(key)}:${serialise(record[key], `${path}.${key}`)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}

/** RFC 8785 §3.2.3: sort by UTF-16 code units, which is what `<` on JS strings compares. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
