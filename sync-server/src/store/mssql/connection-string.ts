import { SecretText } from './secret.ts';

/**
 * How the server reaches Azure SQL: parsed from an ADO.NET connection string (what the Azure
 * portal shows under "Connection strings") or from a `mssql://` URL, and validated before
 * anything connects. Messages name the setting and keyword at fault, never a password.
 */
export interface MssqlDatabaseConfig {
  kind: 'mssql';
  /** Host name, e.g. `till.database.windows.net` (no `tcp:` prefix, no port). */
  server: string;
  port: number;
  database: string;
  auth: MssqlAuth;
  /** TLS is never off: `true` (TLS under TDS 7.4) or `'strict'` (TDS 8, TLS before anything else). */
  encrypt: true | 'strict';
  /** Skip certificate validation: only for a local SQL Server with a self-signed certificate. */
  trustServerCertificate: boolean;
  connectTimeoutMs: number;
  /** Longest one statement may run before tedious cancels it (a transient fault: retried). */
  requestTimeoutMs: number;
  /** Connections this process keeps at most (tarn pool). */
  poolMax: number;
}

export type MssqlAuth =
  | { kind: 'password'; user: string; password: SecretText }
  /** Entra ID through `DefaultAzureCredential` (managed identity in Azure, `az login` on a laptop). */
  | { kind: 'entra-default'; clientId: string | undefined }
  /** Entra ID through `ManagedIdentityCredential`; a client id picks a user-assigned identity. */
  | { kind: 'entra-managed-identity'; clientId: string | undefined };

export const MSSQL_DEFAULTS = {
  port: 1433,
  // Microsoft recommends at least 30 s for Azure SQL logins (a serverless database may be resuming).
  connectTimeoutMs: 30_000,
  // Under the till's 15 s request timeout: a statement stuck longer is cancelled and retried.
  requestTimeoutMs: 15_000,
  poolMax: 10,
} as const;

/** ADO.NET keywords (lower case, single spaces) → the field they set. */
const KEYWORDS: Record<string, Field> = {
  server: 'server',
  'data source': 'server',
  address: 'server',
  addr: 'server',
  'network address': 'server',
  database: 'database',
  'initial catalog': 'database',
  'user id': 'user',
  uid: 'user',
  user: 'user',
  password: 'password',
  pwd: 'password',
  authentication: 'authentication',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate',
  'trust server certificate': 'trustServerCertificate',
  'connect timeout': 'connectTimeout',
  'connection timeout': 'connectTimeout',
  timeout: 'connectTimeout',
  'command timeout': 'requestTimeout',
  'max pool size': 'poolMax',
};

/** Keywords the portal's strings carry that change nothing here (tedious pools and retries itself). */
const IGNORED_KEYWORDS = new Set([
  'persist security info',
  'multipleactiveresultsets',
  'multiple active result sets',
  'pooling',
  'min pool size',
  'connect retry count',
  'connectretrycount',
  'connect retry interval',
  'connectretryinterval',
  'application name',
  'app',
  'packet size',
  'workstation id',
  'wsid',
  'load balance timeout',
  'connection lifetime',
]);

type Field =
  | 'server'
  | 'database'
  | 'user'
  | 'password'
  | 'authentication'
  | 'encrypt'
  | 'trustServerCertificate'
  | 'connectTimeout'
  | 'requestTimeout'
  | 'poolMax';

type Fields = Partial<Record<Field, string>>;

/**
 * Parses an ADO.NET connection string, e.g.
 * `Server=tcp:till.database.windows.net,1433;Database=till;Authentication=Active Directory Default;`.
 * Pushes one message per problem onto `problems` (prefixed with `setting`) and returns undefined
 * if there was any.
 */
export function parseAdoConnectionString(
  text: string,
  problems: string[],
  setting = 'AZURE_SQL_CONNECTION_STRING',
): MssqlDatabaseConfig | undefined {
  const found: string[] = [];
  const pairs = splitAdoPairs(text);
  if (typeof pairs === 'string') {
    problems.push(`${setting} ${pairs}`);
    return undefined;
  }
  const fields: Fields = {};
  let previous: Field | undefined;
  for (const [rawKey, value] of pairs) {
    const key = rawKey.toLowerCase().replace(/\s+/g, ' ');
    const field = KEYWORDS[key];
    if (field !== undefined) {
      if (fields[field] !== undefined) found.push(`${setting} sets ${rawKey} twice (or under two names)`);
      fields[field] = value;
    } else if (IGNORED_KEYWORDS.has(key)) {
      // Harmless here; see IGNORED_KEYWORDS.
    } else if (previous === 'password') {
      // Most likely the rest of a password with a ';' in it: never echo it.
      found.push(`${setting} has an unknown keyword after Password; a password with ';' must be quoted: Password="…"`);
    } else {
      found.push(
        `${setting} has an unknown keyword "${rawKey}"; use Server, Database, User ID, Password, Authentication, Encrypt, TrustServerCertificate, Connect Timeout, Command Timeout, Max Pool Size`,
      );
    }
    previous = field;
  }
  const config = toConfig(fields, setting, found);
  problems.push(...found);
  return found.length === 0 ? config : undefined;
}

/** URL query parameters → fields (times in seconds, like the connection string's). */
const URL_PARAMETERS: Record<string, Field> = {
  authentication: 'authentication',
  clientid: 'user',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate',
  connecttimeout: 'connectTimeout',
  requesttimeout: 'requestTimeout',
  poolmax: 'poolMax',
};

/**
 * Parses `mssql://user:password@host:1433/database?encrypt=strict` or, with Entra ID,
 * `mssql://host/database?authentication=ActiveDirectoryManagedIdentity&clientId=…`.
 * The URL is never repeated in a message: it may hold a password.
 */
export function parseMssqlUrl(
  url: string,
  problems: string[],
  setting = 'DATABASE_URL',
): MssqlDatabaseConfig | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`${setting} is not a valid mssql:// URL (mssql://user:password@host:1433/database)`);
    return undefined;
  }
  const found: string[] = [];
  const fields: Fields = {};
  const decode = (part: string, what: string): string | undefined => {
    try {
      return decodeURIComponent(part);
    } catch {
      found.push(`${setting} has a badly percent-encoded ${what}`);
      return undefined;
    }
  };
  if (parsed.hostname !== '')
    fields.server = parsed.port === '' ? parsed.hostname : `${parsed.hostname},${parsed.port}`;
  const database = decode(parsed.pathname.replace(/^\//, ''), 'database name');
  if (database !== undefined && database !== '') fields.database = database;
  if (parsed.username !== '') fields.user = decode(parsed.username, 'user name');
  if (parsed.password !== '') fields.password = decode(parsed.password, 'password');
  for (const [name, value] of parsed.searchParams) {
    const field = URL_PARAMETERS[name.toLowerCase()];
    if (field === undefined) {
      found.push(`${setting} has an unknown parameter "${name}"; use ${Object.keys(URL_PARAMETERS).join(', ')}`);
    } else if (field === 'user' && fields.user !== undefined) {
      found.push(`${setting} names a user and a clientId; a client id is only for Entra ID`);
    } else {
      fields[field] = value;
    }
  }
  const config = toConfig(fields, setting, found);
  problems.push(...found);
  return found.length === 0 ? config : undefined;
}

function toConfig(fields: Fields, setting: string, found: string[]): MssqlDatabaseConfig | undefined {
  const server = parseServer(fields.server, setting, found);
  const database = fields.database?.trim();
  if (database === undefined || database === '')
    found.push(`${setting} names no database (Database=… / Initial Catalog=…)`);
  const auth = parseAuth(fields, setting, found);
  const encrypt = parseEncrypt(fields.encrypt, setting, found);
  const trustServerCertificate = parseBoolean(
    fields.trustServerCertificate,
    false,
    `${setting} TrustServerCertificate`,
    found,
  );
  const seconds = (value: string | undefined, name: string, fallbackMs: number, max: number): number => {
    if (value === undefined) return fallbackMs;
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > max) {
      found.push(`${setting} ${name} must be whole seconds from 1 to ${max}, got "${value}"`);
      return fallbackMs;
    }
    return n * 1000;
  };
  const connectTimeoutMs = seconds(fields.connectTimeout, 'Connect Timeout', MSSQL_DEFAULTS.connectTimeoutMs, 600);
  const requestTimeoutMs = seconds(fields.requestTimeout, 'Command Timeout', MSSQL_DEFAULTS.requestTimeoutMs, 3600);
  let poolMax: number = MSSQL_DEFAULTS.poolMax;
  if (fields.poolMax !== undefined) {
    const n = Number(fields.poolMax.trim());
    if (!/^\d+$/.test(fields.poolMax.trim()) || n < 1 || n > 200) {
      found.push(`${setting} Max Pool Size must be an integer from 1 to 200, got "${fields.poolMax}"`);
    } else {
      poolMax = n;
    }
  }
  if (server === undefined || database === undefined || auth === undefined || encrypt === undefined) return undefined;
  return {
    kind: 'mssql',
    server: server.host,
    port: server.port,
    database,
    auth,
    encrypt,
    trustServerCertificate,
    connectTimeoutMs,
    requestTimeoutMs,
    poolMax,
  };
}

function parseServer(
  value: string | undefined,
  setting: string,
  found: string[],
): { host: string; port: number } | undefined {
  if (value === undefined || value.trim() === '') {
    found.push(`${setting} names no server (Server=tcp:<name>.database.windows.net,1433)`);
    return undefined;
  }
  const withoutProtocol = value.trim().replace(/^tcp:/i, '');
  if (/^(np|lpc|admin):/i.test(withoutProtocol)) {
    found.push(`${setting} Server must be a TCP address (tcp:host,port), got "${value}"`);
    return undefined;
  }
  const [host = '', port, ...rest] = withoutProtocol.split(',').map((part) => part.trim());
  if (host === '' || rest.length > 0 || host.includes('\\')) {
    found.push(`${setting} Server must be host or host,port (no named instance), got "${value}"`);
    return undefined;
  }
  if (port === undefined) return { host, port: MSSQL_DEFAULTS.port };
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65_535) {
    found.push(`${setting} Server port must be from 1 to 65535, got "${port}"`);
    return undefined;
  }
  return { host, port: n };
}

function parseAuth(fields: Fields, setting: string, found: string[]): MssqlAuth | undefined {
  const method = (fields.authentication ?? 'SqlPassword').toLowerCase().replace(/[\s_-]+/g, '');
  const user = fields.user?.trim() || undefined;
  if (method === 'sqlpassword') {
    if (user === undefined || fields.password === undefined || fields.password === '') {
      found.push(
        `${setting} needs User ID and Password, or Authentication=Active Directory Default | Active Directory Managed Identity`,
      );
      return undefined;
    }
    return { kind: 'password', user, password: new SecretText(fields.password) };
  }
  const kind =
    method === 'activedirectorydefault'
      ? 'entra-default'
      : method === 'activedirectorymanagedidentity' || method === 'activedirectorymsi'
        ? 'entra-managed-identity'
        : undefined;
  if (kind === undefined) {
    found.push(
      `${setting} Authentication "${fields.authentication}" is not supported; use SqlPassword, Active Directory Default or Active Directory Managed Identity`,
    );
    return undefined;
  }
  if (fields.password !== undefined) {
    found.push(`${setting} has a Password, which Entra ID authentication does not use; remove it`);
    return undefined;
  }
  // As in ADO.NET: with Entra ID, "User ID" is the client id of a user-assigned managed identity.
  return { kind, clientId: user };
}

function parseEncrypt(value: string | undefined, setting: string, found: string[]): true | 'strict' | undefined {
  const normalized = (value ?? 'true').trim().toLowerCase();
  if (normalized === 'strict') return 'strict';
  if (['true', 'yes', 'mandatory'].includes(normalized)) return true;
  if (['false', 'no', 'optional'].includes(normalized)) {
    found.push(`${setting} Encrypt=${value} is refused: the ledger is only reached over TLS (Encrypt=True or Strict)`);
    return undefined;
  }
  found.push(`${setting} Encrypt must be True or Strict, got "${value}"`);
  return undefined;
}

function parseBoolean(value: string | undefined, fallback: boolean, name: string, found: string[]): boolean {
  if (value === undefined) return fallback;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true' || normalized === 'yes') return true;
  if (normalized === 'false' || normalized === 'no') return false;
  found.push(`${name} must be True or False, got "${value}"`);
  return fallback;
}

/**
 * Splits `key=value;key="quoted; value";…` as ADO.NET does: keys are case-insensitive, a value
 * may be quoted with " or ' (a doubled quote inside stands for itself), `==` in a key is a
 * literal `=`. Returns a reason when malformed, quoting no part of the text (it may be a password).
 */
export function splitAdoPairs(text: string): Array<[string, string]> | string {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ';' || /\s/.test(text[i] ?? ''))) i += 1;
    if (i >= text.length) break;
    let key = '';
    while (i < text.length) {
      if (text[i] === '=') {
        if (text[i + 1] === '=') {
          key += '=';
          i += 2;
          continue;
        }
        break;
      }
      if (text[i] === ';') return "has a part without '=' (a value containing ';' must be quoted)";
      key += text[i];
      i += 1;
    }
    if (i >= text.length) return "has a part without '=' (a value containing ';' must be quoted)";
    i += 1; // '='
    while (i < text.length && text[i] === ' ') i += 1;
    let value = '';
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      i += 1;
      let closed = false;
      while (i < text.length) {
        if (text[i] === quote) {
          if (text[i + 1] === quote) {
            value += quote;
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      if (!closed) return 'has a quoted value without its closing quote';
      while (i < text.length && text[i] === ' ') i += 1;
      if (i < text.length && text[i] !== ';') return 'has text after a closing quote (end the value with ;)';
    } else {
      while (i < text.length && text[i] !== ';') {
        value += text[i];
        i += 1;
      }
      value = value.trim();
    }
    pairs.push([key.trim(), value]);
  }
  if (pairs.length === 0) return 'is empty';
  return pairs;
}
