import type { ApiError } from '@till/shared';
import type { FastifySchemaValidationError } from 'fastify';
import type { SchemaErrorDataVar } from 'fastify/types/schema.js';

type Detail = NonNullable<ApiError['details']>[number];

/** At most this many details per answer: enough to fix a request, not a megabyte of errors. */
const MAX_DETAILS = 50;

/**
 * Turns schema errors into `details`: one `{ path, message }` per problem, `path` a JSON pointer
 * into the request (`/sales/3/lines/0/qty`). Body paths start at the body; other parts are
 * prefixed with where they came from (`/querystring/since`).
 */
export function validationDetails(errors: FastifySchemaValidationError[], context: SchemaErrorDataVar): Detail[] {
  const prefix = context === 'body' ? '' : `/${context}`;
  const details: Detail[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    const pointer = prefix + path || '/';
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key) || details.length >= MAX_DETAILS) return;
    seen.add(key);
    details.push({ path: pointer, message });
  };
  for (const error of errors) {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && Array.isArray(params.requiredProperties)) {
      for (const name of params.requiredProperties)
        add(`${error.instancePath}/${escapePointerToken(String(name))}`, 'is required');
    } else if (error.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
      for (const name of params.additionalProperties)
        add(`${error.instancePath}/${escapePointerToken(String(name))}`, 'is not allowed');
    } else if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
      // TypeBox reports an extra member twice; the `additionalProperties` entry above says it better.
    } else {
      add(error.instancePath, error.message ?? `fails ${error.keyword}`);
    }
  }
  return details;
}

/** RFC 6901: `~` → `~0`, `/` → `~1` in a member name. */
function escapePointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
