import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer } from '../../../test/helper.ts';
import {
  addManager,
  demoTenantId,
  sessionCookieOf,
  signIn,
  signInRequest,
  TEST_PASSWORD,
} from '../../../test/manager-helper.ts';
import { DEMO_OWNER } from '../../seed.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('manager sign-in and sessions', () => {
  it('[MGR-1] the demo owner signs in: httpOnly SameSite=Strict cookie, stores, CSRF token; only hashes stored', async () => {
    const response = await signInRequest(server, DEMO_OWNER.email, DEMO_OWNER.password);
    expect(response.statusCode).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api\/v1\/manager/);
    const body = response.json();
    expect(body.manager).toMatchObject({ email: DEMO_OWNER.email, role: 'owner' });
    expect(body.stores.map((s: { id: string }) => s.id)).toEqual([server.store.id]);
    const cookie = sessionCookieOf(response) ?? '';
    const sessions = rows<{ token_hash: string }>(server.sql, 'manager_sessions');
    expect(sessions.some((s) => s.token_hash === cookie)).toBe(false);
    const manager = rows<{ password_hash: string }>(server.sql, 'managers', { email: DEMO_OWNER.email })[0];
    expect(manager?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(manager?.password_hash).not.toContain(DEMO_OWNER.password);
  });

  it('[MGR-1] a wrong password and an unknown e-mail get the same 401', async () => {
    const wrong = await signInRequest(server, DEMO_OWNER.email, 'not the password');
    const unknown = await signInRequest(server, 'nobody@demo.test', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(sessionCookieOf(wrong)).toBeUndefined();
  });

  it('[MGR-3] sign-out needs the CSRF token, then ends the session everywhere', async () => {
    const manager = await signIn(server);
    expect((await manager.send('DELETE', '/session', undefined, { csrf: null })).statusCode).toBe(403);
    expect((await manager.send('DELETE', '/session', undefined, { csrf: 'wrong' })).json().error).toBe('csrf_failed');
    expect((await manager.get('/session')).statusCode).toBe(200);
    expect((await manager.send('DELETE', '/session')).statusCode).toBe(204);
    expect((await manager.get('/session')).statusCode).toBe(401);
    const actions = rows<{ action: string }>(server.sql, 'audit_log').map((row) => row.action);
    expect(actions).toContain('session.sign_out');
  });

  it('[MGR-2] a session ends after 30 idle minutes, and 12 hours after sign-in however busy', async () => {
    const idle = await signIn(server);
    server.clock.advance(29 * 60_000);
    expect((await idle.get('/session')).statusCode).toBe(200);
    server.clock.advance(29 * 60_000);
    expect((await idle.get('/session')).statusCode).toBe(200);
    server.clock.advance(31 * 60_000);
    expect((await idle.get('/session')).statusCode).toBe(401);

    const busy = await signIn(server);
    for (let hour = 0; hour < 12; hour += 1) {
      server.clock.advance(25 * 60_000);
      expect((await busy.get('/session')).statusCode).toBe(200);
      server.clock.advance(25 * 60_000);
      await busy.get('/session');
      server.clock.advance(10 * 60_000);
      await busy.get('/session');
    }
    expect((await busy.get('/session')).statusCode).toBe(401);
  });

  it('[MGR-4] five failed sign-ins lock the e-mail for the window, even with the right password; it is not in memory', async () => {
    await addManager(server, {
      tenantId: await demoTenantId(server),
      role: 'manager',
      storeIds: 'all',
      email: 'kim@demo.test',
    });
    for (let i = 0; i < 5; i += 1) {
      expect((await signInRequest(server, 'kim@demo.test', 'guess number one')).statusCode).toBe(401);
      server.clock.advance(10_000);
    }
    const locked = await signInRequest(server, 'KIM@demo.test', TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toBe('rate_limited');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(13 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(sessionCookieOf(locked)).toBeUndefined();
    // The count lives in SQL: the attempts are rows any instance reads.
    expect(rows(server.sql, 'login_attempts', { email: 'kim@demo.test', succeeded: 0 })).toHaveLength(5);

    server.clock.advance(retryAfter * 1000);
    expect((await signInRequest(server, 'kim@demo.test', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('[MGR-8] sign-in is audited with who and from where; a failed one is an attempt, not an audit row', async () => {
    const before = rows<{ action: string }>(server.sql, 'audit_log').length;
    await signInRequest(server, DEMO_OWNER.email, 'wrong password here');
    expect(rows(server.sql, 'audit_log')).toHaveLength(before);
    const manager = await signIn(server);
    const entry = rows<{ action: string; manager_email: string; manager_id: string; detail: string }>(
      server.sql,
      'audit_log',
    ).at(-1);
    expect(entry).toMatchObject({
      action: 'session.sign_in',
      manager_email: DEMO_OWNER.email,
      manager_id: manager.session.manager.id,
    });
    expect(JSON.parse(entry?.detail ?? '{}')).toHaveProperty('ip');
  });

  it('[MGR-1][MGR-3] behind a TLS-terminating proxy (TRUST_PROXY_HOPS=1) the cookie is Secure and the https Origin passes', async () => {
    const proxied = await startTestServer({ TRUST_PROXY_HOPS: '1' });
    try {
      const forwarded = {
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'till.example.net',
        'x-forwarded-for': '203.0.113.9',
      };
      const signedIn = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/manager/session',
        headers: { ...forwarded, 'content-type': 'application/json' },
        payload: JSON.stringify({ email: DEMO_OWNER.email, password: DEMO_OWNER.password }),
      });
      expect(signedIn.statusCode).toBe(200);
      expect(String(signedIn.headers['set-cookie'])).toMatch(/; Secure/);
      const cookie = `till_session=${sessionCookieOf(signedIn)}`;
      const csrf = signedIn.json().csrfToken as string;
      const signOut = (origin: string) =>
        proxied.app.inject({
          method: 'DELETE',
          url: '/api/v1/manager/session',
          headers: { ...forwarded, cookie, origin, 'x-csrf-token': csrf },
        });
      expect((await signOut('https://evil.example.com')).statusCode).toBe(403);
      expect((await signOut('https://till.example.net')).statusCode).toBe(204);
      // The client address is the forwarded one: that is what the sign-in limit counts.
      expect(rows<{ ip: string }>(proxied.sql, 'login_attempts').map((row) => row.ip)).toEqual(['203.0.113.9']);
    } finally {
      await proxied.close();
    }
  });
});
