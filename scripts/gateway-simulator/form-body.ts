/**
 * Stripe's v1 API takes `application/x-www-form-urlencoded` bodies with bracketed keys, as the
 * official SDKs write them: `metadata[till_payment_id]=…`, `payment_method_types[0]=card`.
 * This reads them back into plain objects and arrays (values stay strings, as on the wire).
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormParams = { [key: string]: FormValue };

export class FormBodyError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

export function parseFormBody(body: string): FormParams {
  const root: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = splitKey(key);
    let node: { [key: string]: FormValue } = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        if (segment in node) throw new FormBodyError(`Received duplicate parameter: ${key}`, key);
        node[segment] = value;
        return;
      }
      const next = node[segment] ?? {};
      if (typeof next === 'string' || Array.isArray(next)) {
        throw new FormBodyError(`Invalid parameter structure at ${key}`, key);
      }
      node[segment] = next;
      node = next;
    });
  }
  return arraysFromIndexes(root) as FormParams;
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** `a[b][0]` → ['a', 'b', '0']. */
function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match?.[1]) throw new FormBodyError(`Invalid parameter name: ${key}`, key);
  const rest = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  const path = [match[1], ...rest];
  if (path.some((segment) => segment === '' || FORBIDDEN_SEGMENTS.has(segment))) {
    throw new FormBodyError(`Invalid parameter name: ${key}`, key);
  }
  return path;
}

/** Objects whose keys are exactly 0..n-1 become arrays, as qs does. */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, arraysFromIndexes(inner)] as const);
  const keys = entries.map(([key]) => key);
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) return entries.map(([, inner]) => inner);
  return Object.fromEntries(entries);
}

/** A stable text of the parameters, equal for equal requests whatever the order of the pairs. */
export function canonicalParams(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalParams(value[key] as FormValue)}`).join(',')}}`;
}
