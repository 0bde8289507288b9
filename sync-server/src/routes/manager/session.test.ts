import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer } from '../../../test/helper.ts';
import { signIn, signInRequest, sessionCookieOf } from '../../../test/manager-helper.ts';
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
});
