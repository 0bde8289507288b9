import type { ManagerAccountRow, ManagerAccountsResponse, ManagerSession } from '@till/shared';
import { uuidv7 } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startTestServer, type TestServer } from '../../../test/helper.ts';
import {
  addManager,
  demoTenantId,
  type ManagerClient,
  type OtherTenant,
  signIn,
  signInRequest,
  startOtherTenant,
  TEST_PASSWORD,
} from '../../../test/manager-helper.ts';
import { DEMO_OWNER } from '../../seed.ts';

let server: TestServer;
let tenantId: string;
let owner: ManagerClient;
let manager: ManagerClient;
let b: OtherTenant;

beforeAll(async () => {
  server = await startTestServer();
  tenantId = await demoTenantId(server);
  owner = await signIn(server);
  manager = await addManager(server, {
    tenantId,
    role: 'manager',
    storeIds: [server.store.id],
    email: 'shift-lead@demo.test',
    name: 'Sam Lead',
  });
  b = await startOtherTenant(server);
});
afterAll(async () => {
  await server.close();
});

const NEW_PASSWORD = 'a long new password';

const managerRow = (email: string) =>
  rows<{ id: string; role: string; status: string; name: string; all_stores: number; password_hash: string }>(
    server.sql,
    'managers',
    { email },
  )[0];
const accountsOf = async (client: ManagerClient) =>
  (await client.get('/accounts')).json<ManagerAccountsResponse>().accounts;
const auditOf = (action: string) =>
  rows<{ manager_email: string; target_id: string; store_id: string | null; detail: string }>(server.sql, 'audit_log', {
    action,
  });
const liveSessions = (managerId: string) =>
  rows<{ ended_at: string | null }>(server.sql, 'manager_sessions', { manager_id: managerId }).filter(
    (session) => session.ended_at === null,
  );

function newAccount(email: string, patch: Record<string, unknown> = {}) {
  return { email, name: 'New Person', role: 'manager', storeIds: [server.store.id], password: TEST_PASSWORD, ...patch };
}

function changeOf(account: ManagerAccountRow, patch: Record<string, unknown> = {}) {
  return {
    name: account.name,
    role: account.role,
    storeIds: account.allStores ? 'all' : account.storeIds,
    status: account.status,
    ...patch,
  };
}

async function accountOf(client: ManagerClient, email: string): Promise<ManagerAccountRow> {
  const account = (await accountsOf(client)).find((row) => row.email === email);
  if (account === undefined) throw new Error(`no account ${email}`);
  return account;
}

describe('console: the team (manager accounts)', () => {
  it('[MGR-6] a manager gets 403 forbidden on every owner route, even with a bad body; nothing changes', async () => {
    const ownerId = managerRow(DEMO_OWNER.email)?.id ?? '';
    const before = rows(server.sql, 'managers');
    const answers = [
      await manager.get('/accounts'),
      await manager.send('POST', '/accounts', newAccount('sneaky@demo.test', { role: 'owner', storeIds: 'all' })),
      await manager.send('POST', '/accounts', { email: 'x' }),
      await manager.send('PUT', `/accounts/${manager.session.manager.id}`, {
        name: 'Sam Lead',
        role: 'owner',
        storeIds: 'all',
        status: 'active',
      }),
      await manager.send('PUT', `/accounts/${ownerId}`, {
        name: 'x',
        role: 'manager',
        storeIds: [],
        status: 'disabled',
      }),
      await manager.send('POST', `/accounts/${ownerId}/password`, { password: NEW_PASSWORD }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(403);
      expect(answer.json().error).toBe('forbidden');
    }
    expect(rows(server.sql, 'managers')).toEqual(before);
  });

  it('[MGR-14] an owner lists the tenant’s accounts with role, stores, status and last sign-in, never a hash', async () => {
    const response = await owner.get('/accounts');
    expect(response.statusCode).toBe(200);
    const accounts = response.json<ManagerAccountsResponse>().accounts;
    expect(accounts.map((account) => account.email).sort()).toEqual([DEMO_OWNER.email, 'shift-lead@demo.test']);
    expect(accounts.find((account) => account.email === DEMO_OWNER.email)).toMatchObject({
      role: 'owner',
      status: 'active',
      allStores: true,
      storeIds: [],
      lastSignInAt: server.clock.now().toISOString(),
    });
    expect(accounts.find((account) => account.email === 'shift-lead@demo.test')).toMatchObject({
      role: 'manager',
      allStores: false,
      storeIds: [server.store.id],
    });
    expect(response.body).not.toContain('scrypt');
  });

  it('[MGR-14][MGR-8] an owner adds a manager who can then sign in to their stores; audited without the password', async () => {
    const response = await owner.send(
      'POST',
      '/accounts',
      newAccount('  New.Cashier@Demo.test ', { name: 'Nia Cashier', password: NEW_PASSWORD }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<ManagerAccountRow>();
    expect(created).toMatchObject({
      email: 'new.cashier@demo.test',
      name: 'Nia Cashier',
      role: 'manager',
      status: 'active',
      allStores: false,
      storeIds: [server.store.id],
      lastSignInAt: null,
    });

    const newcomer = await signIn(server, 'new.cashier@demo.test', NEW_PASSWORD);
    expect(newcomer.session.stores.map((store) => store.id)).toEqual([server.store.id]);
    expect(newcomer.session.manager.role).toBe('manager');

    const audit = auditOf('manager.create').find((row) => row.target_id === created.id);
    expect(audit?.manager_email).toBe(DEMO_OWNER.email);
    expect(audit?.store_id).toBeNull();
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({ email: 'new.cashier@demo.test', role: 'manager' });
    expect(audit?.detail).not.toContain(NEW_PASSWORD);
    expect(audit?.detail).not.toContain('scrypt');
  });

  it('[MGR-14] a short password is 400 at /password; an owner limited to some stores is 400 at /storeIds; nothing created', async () => {
    const weak = await owner.send('POST', '/accounts', newAccount('weak@demo.test', { password: 'short' }));
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/password' }] });
    expect(weak.json().message).toMatch(/10 characters/);

    const notAnEmail = await owner.send('POST', '/accounts', newAccount('weak at demo.test'));
    expect(notAnEmail.statusCode).toBe(400);
    expect(notAnEmail.json().details).toEqual([{ path: '/email', message: 'This is not an e-mail address' }]);

    const limitedOwner = await owner.send('POST', '/accounts', newAccount('limited@demo.test', { role: 'owner' }));
    expect(limitedOwner.statusCode).toBe(400);
    expect(limitedOwner.json().details).toEqual([{ path: '/storeIds', message: expect.any(String) }]);

    expect(managerRow('weak@demo.test')).toBeUndefined();
    expect(managerRow('limited@demo.test')).toBeUndefined();
  });

  it('[MGR-14] an e-mail any tenant already uses is 409 email_taken, whatever its case', async () => {
    const mine = await owner.send('POST', '/accounts', newAccount('Shift-Lead@demo.test'));
    expect(mine.statusCode).toBe(409);
    expect(mine.json()).toMatchObject({ error: 'email_taken', details: [{ path: '/email' }] });
    const theirs = await owner.send('POST', '/accounts', newAccount(b.owner.session.manager.email));
    expect(theirs.statusCode).toBe(409);
    expect(theirs.json().error).toBe('email_taken');
    expect(theirs.body).not.toContain(b.tenantId);
    expect(rows(server.sql, 'managers', { tenant_id: tenantId }).map((row) => row)).toHaveLength(
      (await accountsOf(owner)).length,
    );
  });

  it('[MGR-5] a store of another tenant is refused like a store that does not exist, without naming it', async () => {
    const foreign = await owner.send('POST', '/accounts', newAccount('foreign@demo.test', { storeIds: [b.store.id] }));
    const missing = await owner.send('POST', '/accounts', newAccount('foreign@demo.test', { storeIds: [uuidv7()] }));
    expect(foreign.statusCode).toBe(400);
    expect(missing.statusCode).toBe(400);
    expect(foreign.json().details).toEqual([{ path: '/storeIds/0', message: 'is not one of your stores' }]);
    expect(foreign.json().message).toBe(missing.json().message);
    expect(foreign.body).not.toContain(b.store.name);
    expect(managerRow('foreign@demo.test')).toBeUndefined();

    const sam = await accountOf(owner, 'shift-lead@demo.test');
    const change = await owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam, { storeIds: [b.store.id] }));
    expect(change.statusCode).toBe(400);
    expect(rows(server.sql, 'manager_stores', { manager_id: sam.id })).toHaveLength(1);
  });

  it('[MGR-5][I10] tenant B’s owner sees none of A’s accounts and gets 404 for A’s account ids; A is unchanged', async () => {
    const listed = await b.owner.get('/accounts');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<ManagerAccountsResponse>().accounts.map((account) => account.email)).toEqual([
      b.owner.session.manager.email,
    ]);
    expect(listed.body).not.toContain('demo.test');

    const sam = await accountOf(owner, 'shift-lead@demo.test');
    const before = rows(server.sql, 'managers', { tenant_id: tenantId });
    const put = await b.owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam, { status: 'disabled' }));
    expect(put.statusCode).toBe(404);
    expect(put.json().error).toBe('not_found');
    expect(put.body).not.toContain('shift-lead');
    const password = await b.owner.send('POST', `/accounts/${sam.id}/password`, { password: NEW_PASSWORD });
    expect(password.statusCode).toBe(404);
    const unknown = await owner.send('PUT', `/accounts/${uuidv7()}`, changeOf(sam));
    expect(unknown.statusCode).toBe(404);
    expect(put.json().message).toBe(unknown.json().message);
    expect(rows(server.sql, 'managers', { tenant_id: tenantId })).toEqual(before);
    expect((await manager.get('/session')).statusCode).toBe(200);
  });

  it('[MGR-3] every write needs the CSRF token: 403 csrf_failed, nothing changes', async () => {
    const sam = await accountOf(owner, 'shift-lead@demo.test');
    const before = rows(server.sql, 'managers');
    const answers = [
      await owner.send('POST', '/accounts', newAccount('csrf@demo.test'), { csrf: null }),
      await owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam, { status: 'disabled' }), { csrf: null }),
      await owner.send('POST', `/accounts/${sam.id}/password`, { password: NEW_PASSWORD }, { csrf: 'wrong' }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(403);
      expect(answer.json().error).toBe('csrf_failed');
    }
    expect(rows(server.sql, 'managers')).toEqual(before);
  });

  it('[MGR-14][MGR-8] disabling an account ends its sessions at once (401) and bars sign-in; audited before/after', async () => {
    const temp = await addManager(server, { tenantId, role: 'manager', storeIds: 'all', email: 'temp@demo.test' });
    const account = await accountOf(owner, 'temp@demo.test');
    expect(liveSessions(account.id)).toHaveLength(1);

    const response = await owner.send('PUT', `/accounts/${account.id}`, changeOf(account, { status: 'disabled' }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<ManagerAccountRow>().status).toBe('disabled');
    expect((await temp.get('/session')).statusCode).toBe(401);
    expect((await temp.get(temp.store('/today'))).statusCode).toBe(401);
    expect(liveSessions(account.id)).toEqual([]);
    expect((await signInRequest(server, 'temp@demo.test', TEST_PASSWORD)).statusCode).toBe(401);

    const audit = auditOf('manager.update').find((row) => row.target_id === account.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({
      email: 'temp@demo.test',
      before: { status: 'active' },
      after: { status: 'disabled' },
      endedSessions: 1,
    });

    const enabled = await owner.send('PUT', `/accounts/${account.id}`, changeOf(account, { status: 'active' }));
    expect(enabled.statusCode).toBe(200);
    expect((await signInRequest(server, 'temp@demo.test', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('[MGR-14] a change of role or stores applies to the account’s session at once; saving it unchanged audits nothing', async () => {
    const sam = await accountOf(owner, 'shift-lead@demo.test');
    const audits = auditOf('manager.update').length;
    const same = await owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam));
    expect(same.statusCode).toBe(200);
    expect(auditOf('manager.update')).toHaveLength(audits);

    const renamed = await owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam, { storeIds: [], name: 'Sam L.' }));
    expect(renamed.json<ManagerAccountRow>()).toMatchObject({ name: 'Sam L.', storeIds: [], allStores: false });
    expect((await manager.get('/session')).json<ManagerSession>().stores).toEqual([]);
    expect((await manager.get(manager.store('/today'))).statusCode).toBe(404);
    const detail = JSON.parse(auditOf('manager.update').at(-1)?.detail ?? '{}');
    expect(detail).toEqual({
      email: 'shift-lead@demo.test',
      before: { name: 'Sam Lead', storeIds: [server.store.id] },
      after: { name: 'Sam L.', storeIds: [] },
    });

    const restored = await owner.send('PUT', `/accounts/${sam.id}`, changeOf(sam));
    expect(restored.json<ManagerAccountRow>()).toMatchObject({ name: 'Sam Lead', storeIds: [server.store.id] });
    expect((await manager.get(manager.store('/today'))).statusCode).toBe(200);
  });

  it('[MGR-14] the last active owner cannot step down or disable themself (400); with a second owner they can', async () => {
    const c = await startOtherTenant(server, 'c');
    const self = await accountOf(c.owner, c.owner.session.manager.email);
    for (const patch of [{ role: 'manager' }, { status: 'disabled' }]) {
      const refused = await c.owner.send('PUT', `/accounts/${self.id}`, changeOf(self, patch));
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/last active owner/);
    }
    expect(managerRow(self.email)).toMatchObject({ role: 'owner', status: 'active' });

    const second = await c.owner.send(
      'POST',
      '/accounts',
      newAccount('second-owner@c.test', { role: 'owner', storeIds: 'all' }),
    );
    expect(second.statusCode).toBe(201);
    const stepDown = await c.owner.send('PUT', `/accounts/${self.id}`, changeOf(self, { role: 'manager' }));
    expect(stepDown.statusCode, stepDown.body).toBe(200);
    // Now a manager: the team is no longer theirs to manage.
    expect((await c.owner.get('/accounts')).statusCode).toBe(403);

    const newOwner = await signIn(server, 'second-owner@c.test', TEST_PASSWORD);
    const newSelf = await accountOf(newOwner, 'second-owner@c.test');
    const alone = await newOwner.send('PUT', `/accounts/${newSelf.id}`, changeOf(newSelf, { status: 'disabled' }));
    expect(alone.statusCode).toBe(400);
  });

  it('[MGR-14][MGR-8] an owner sets a manager’s password: the old one stops working, their sessions end; audited without it', async () => {
    const other = await addManager(server, { tenantId, role: 'manager', storeIds: 'all', email: 'forgot@demo.test' });
    const account = await accountOf(owner, 'forgot@demo.test');
    const response = await owner.send('POST', `/accounts/${account.id}/password`, { password: NEW_PASSWORD });
    expect(response.statusCode, response.body).toBe(204);
    expect((await other.get('/session')).statusCode).toBe(401);
    expect((await signInRequest(server, 'forgot@demo.test', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await signInRequest(server, 'forgot@demo.test', NEW_PASSWORD)).statusCode).toBe(200);
    expect((await owner.get('/session')).statusCode).toBe(200);

    const audit = auditOf('manager.password').find((row) => row.target_id === account.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({ email: 'forgot@demo.test', endedSessions: 1 });
    expect(audit?.detail).not.toContain(NEW_PASSWORD);
  });

  it('[MGR-14] a manager sets their own password (not another’s): this session stays, their others end', async () => {
    const here = await addManager(server, { tenantId, role: 'manager', storeIds: 'all', email: 'self@demo.test' });
    const elsewhere = await signIn(server, 'self@demo.test', TEST_PASSWORD);
    const id = here.session.manager.id;
    const weak = await here.send('POST', `/accounts/${id}/password`, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details).toEqual([{ path: '/password', message: expect.stringMatching(/10 characters/) }]);

    // A session alone cannot change the password: the current one is needed, and a wrong one is a failed sign-in.
    const missing = await here.send('POST', `/accounts/${id}/password`, { password: NEW_PASSWORD });
    expect(missing.statusCode).toBe(403);
    const wrong = await here.send('POST', `/accounts/${id}/password`, {
      password: NEW_PASSWORD,
      currentPassword: 'not my password at all',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().details).toEqual([{ path: '/currentPassword', message: 'Not your current password' }]);
    expect((await signInRequest(server, 'self@demo.test', NEW_PASSWORD)).statusCode).toBe(401);

    const response = await here.send('POST', `/accounts/${id}/password`, {
      password: NEW_PASSWORD,
      currentPassword: TEST_PASSWORD,
    });
    expect(response.statusCode).toBe(204);
    expect((await here.get('/session')).statusCode).toBe(200);
    expect((await elsewhere.get('/session')).statusCode).toBe(401);
    expect((await signInRequest(server, 'self@demo.test', NEW_PASSWORD)).statusCode).toBe(200);

    const ownerId = managerRow(DEMO_OWNER.email)?.id ?? '';
    const hash = managerRow(DEMO_OWNER.email)?.password_hash;
    const another = await here.send('POST', `/accounts/${ownerId}/password`, { password: NEW_PASSWORD });
    expect(another.statusCode).toBe(403);
    expect(managerRow(DEMO_OWNER.email)?.password_hash).toBe(hash);
  });
});
