import {
  API_PREFIX,
  CSRF_HEADER,
  CURRENCY_EXPONENTS,
  defaultCardOfflineLimits,
  type EnrollResponse,
  type ManagerRole,
  type ManagerSession,
  SESSION_COOKIE,
  type StoreInfo,
} from '@till/shared';
import type { LightMyRequestResponse } from 'fastify';
import { createEnrollmentCode, createManagerAccount, createTenantAndStore } from '../src/admin.ts';
import { DEMO_OWNER } from '../src/seed.ts';
import { type TestServer, TestTill } from './helper.ts';

/**
 * Console tests sign in through the real API (POST /manager/session) and send the cookie and
 * the CSRF token like the browser does. `ManagerClient` paths are relative to /api/v1/manager.
 */
export class ManagerClient {
  constructor(
    readonly server: TestServer,
    readonly cookie: string,
    readonly session: ManagerSession,
  ) {}

  get csrfToken(): string {
    return this.session.csrfToken;
  }

  /** The first store this manager may see (the demo store for the demo owner). */
  get storeId(): string {
    const store = this.session.stores[0];
    if (store === undefined) throw new Error('this manager sees no store');
    return store.id;
  }

  get(path: string, query: Record<string, string | number | boolean> = {}): Promise<LightMyRequestResponse> {
    return this.server.app.inject({
      method: 'GET',
      url: `${API_PREFIX}/manager${path}`,
      query: Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)])),
      headers: { cookie: `${SESSION_COOKIE}=${this.cookie}` },
    });
  }

  /** A write with the session cookie and (unless `csrf: null`) the CSRF header. */
  send(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    options: { csrf?: string | null } = {},
  ): Promise<LightMyRequestResponse> {
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    return this.server.app.inject({
      method,
      url: `${API_PREFIX}/manager${path}`,
      headers: {
        cookie: `${SESSION_COOKIE}=${this.cookie}`,
        ...(csrf !== null && { [CSRF_HEADER]: csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  }

  /** `/stores/<this manager's first store>` + path. */
  store(path = ''): string {
    return `/stores/${this.storeId}${path}`;
  }
}

export function signInRequest(server: TestServer, email: string, password: string): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/manager/session`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email, password }),
  });
}

/** The session cookie a response set, or undefined. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  for (const cookie of cookies) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(cookie);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Signs in (the demo owner by default) and returns a client carrying the session. */
export async function signIn(
  server: TestServer,
  email: string = DEMO_OWNER.email,
  password: string = DEMO_OWNER.password,
): Promise<ManagerClient> {
  const response = await signInRequest(server, email, password);
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = sessionCookieOf(response);
  if (cookie === undefined) throw new Error('sign-in set no session cookie');
  return new ManagerClient(server, cookie, response.json<ManagerSession>());
}

export const TEST_PASSWORD = 'correct horse battery';

/** Adds an account to a tenant and signs it in. */
export async function addManager(
  server: TestServer,
  input: { tenantId: string; role: ManagerRole; storeIds: string[] | 'all'; email: string; name?: string },
): Promise<ManagerClient> {
  await createManagerAccount(
    server.app.ledger,
    { name: input.name ?? input.email, password: TEST_PASSWORD, ...input },
    server.clock.now(),
  );
  return signIn(server, input.email, TEST_PASSWORD);
}

/** The demo tenant's id (the tenant of `server.store`). */
export async function demoTenantId(server: TestServer): Promise<string> {
  const store = await server.app.ledger.findStoreById(server.store.id);
  if (store === undefined) throw new Error('no demo store');
  return store.tenantId;
}

/**
 * Another tenant ("tenant B") with its own store, an enrolled till and an owner: the other side
 * of every cross-tenant test (MGR-5, I10).
 */
export interface OtherTenant {
  tenantId: string;
  store: StoreInfo;
  till: TestTill;
  owner: ManagerClient;
}

export async function startOtherTenant(server: TestServer, label = 'b'): Promise<OtherTenant> {
  const { tenantId, store } = await createTenantAndStore(
    server.app.ledger,
    {
      tenantName: `Tenant ${label.toUpperCase()}`,
      store: {
        code: `T${label.toUpperCase()}`,
        name: `Store of tenant ${label}`,
        currency: 'USD',
        taxMode: 'exclusive',
        locale: 'en-US',
        timezone: 'America/New_York',
        address: '2 Other Street',
        cardOfflineLimits: defaultCardOfflineLimits(CURRENCY_EXPONENTS.USD),
      },
    },
    server.clock.now(),
  );
  const { code } = await createEnrollmentCode(server.app.ledger, store.id, 60, server.clock.now());
  const response = await server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/devices/enroll`,
    payload: { code, deviceName: `Till of ${label}`, appVersion: '0.1.0-test' },
  });
  if (response.statusCode !== 201) throw new Error(`enroll failed: ${response.statusCode} ${response.body}`);
  const till = new TestTill(server.app, response.json<EnrollResponse>());
  const owner = await addManager(server, { tenantId, role: 'owner', storeIds: 'all', email: `owner@${label}.test` });
  return { tenantId, store, till, owner };
}
