import manifest from '../package.json' with { type: 'json' };

/** This server's version, from its package.json; reported by /health and the OpenAPI doc. */
export const SERVER_VERSION: string = manifest.version;
