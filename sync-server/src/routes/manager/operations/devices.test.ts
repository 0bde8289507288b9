import { API_PREFIX, type EnrollmentCodeResponse, type ManagerDevice } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer } from '../../../../test/helper.ts';
import { type ManagerClient, signIn } from '../../../../test/manager-helper.ts';

let server: TestServer;
let owner: ManagerClient;
beforeAll(async () => {
  server = await startTestServer({ SILENT_DEVICE_MINUTES: '10', ENROLLMENT_CODE_TTL_MINUTES: '90' });
  owner = await signIn(server);
});
afterAll(async () => {
  await server.close();
});

const devices = async () => (await owner.get(owner.store('/devices'))).json<ManagerDevice[]>();
const auditRows = (action: string) =>
  rows<{ manager_email: string; reason: string | null; detail: string; target_id: string }>(server.sql, 'audit_log', {
    action,
  });

describe('console: devices', () => {
  it('[MGR-5] lists the store’s tills with what they reported, open sequence issues and silence', async () => {
    const till = await server.enroll('Counter');
    const [first, , third] = await till.nextSales(3);
    if (!first || !third) throw new Error('sales missing');
    await till.push(till.pushBody([first, third])); // seq 2 missing: a gap
    const device = (await devices()).find((d) => d.deviceId === till.deviceId);
    expect(device).toMatchObject({
      name: 'Counter',
      status: 'active',
      ackedSeq: 1,
      lastSeq: 3,
      openSequenceIssues: 1,
      silent: false,
      lastSeenAt: server.clock.now().toISOString(),
    });
    server.clock.advance(11 * 60_000);
    expect((await devices()).find((d) => d.deviceId === till.deviceId)?.silent).toBe(true);
  });

  it('[MGR-8][AUTH-1] an enrollment code enrolls one till, expires after the configured TTL, and is audited without the code', async () => {
    const response = await owner.send('POST', owner.store('/enrollment-codes'));
    expect(response.statusCode).toBe(201);
    const { code, expiresAt } = response.json<EnrollmentCodeResponse>();
    expect(Date.parse(expiresAt) - server.clock.now().getTime()).toBe(90 * 60_000);
    const audit = auditRows('device.enrollment_code').at(-1);
    expect(audit).toMatchObject({ manager_email: 'owner@demo.test' });
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({ expiresAt });
    expect(JSON.stringify(rows(server.sql, 'audit_log'))).not.toContain(code.replaceAll('-', ''));
    expect(JSON.stringify(rows(server.sql, 'audit_log'))).not.toContain(code);

    const enroll = await server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/devices/enroll`,
      payload: { code, deviceName: 'Back till', appVersion: '0.1.0-test' },
    });
    expect(enroll.statusCode).toBe(201);
    expect((await devices()).map((d) => d.name)).toContain('Back till');
  });

  it('[MGR-8][AUTH-3] revoking a till stops its token at once, is audited with the reason, and is idempotent', async () => {
    const till = await server.enroll('Lost tablet');
    const path = owner.store(`/devices/${till.deviceId}/revoke`);
    const response = await owner.send('POST', path, { reason: 'tablet stolen from the counter' });
    expect(response.statusCode).toBe(200);
    expect(response.json<ManagerDevice>()).toMatchObject({ deviceId: till.deviceId, status: 'revoked', silent: false });
    const push = await till.push(till.pushBody([await till.nextSale()]));
    expect(push.statusCode).toBe(403);
    expect(push.json().error).toBe('device_revoked');

    const again = await owner.send('POST', path, { reason: 'clicked twice' });
    expect(again.statusCode).toBe(200);
    expect(again.json<ManagerDevice>().revokedAt).toBe(response.json<ManagerDevice>().revokedAt);
    const audits = auditRows('device.revoke').filter((row) => row.target_id === till.deviceId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ reason: 'tablet stolen from the counter', manager_email: 'owner@demo.test' });
  });

  it('[MGR-5] a device id that is not the store’s is 404; a revoke without a reason is 400', async () => {
    const unknown = await owner.send('POST', owner.store('/devices/0190a000-0000-7000-8000-000000000000/revoke'), {
      reason: 'not ours',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('not_found');
    const till = await server.enroll('Kept');
    const noReason = await owner.send('POST', owner.store(`/devices/${till.deviceId}/revoke`), {});
    expect(noReason.statusCode).toBe(400);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ status: 'active' });
  });

  it('[MGR-3] writes without the CSRF token are refused and change nothing', async () => {
    const till = await server.enroll('Guarded');
    const codes = count(server.sql, 'enrollment_codes');
    const audits = count(server.sql, 'audit_log');
    const code = await owner.send('POST', owner.store('/enrollment-codes'), undefined, { csrf: null });
    const revoke = await owner.send(
      'POST',
      owner.store(`/devices/${till.deviceId}/revoke`),
      { reason: 'no token sent' },
      { csrf: 'wrong' },
    );
    for (const response of [code, revoke]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toBe('csrf_failed');
    }
    expect(count(server.sql, 'enrollment_codes')).toBe(codes);
    expect(count(server.sql, 'audit_log')).toBe(audits);
    expect(rows(server.sql, 'devices', { id: till.deviceId })[0]).toMatchObject({ status: 'active' });
  });
});
