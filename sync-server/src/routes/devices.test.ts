import { existsSync, readFileSync } from 'node:fs';
import { API_PREFIX, type DeviceInfo, type EnrollResponse } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, rows, startTestServer, type TestServer } from '../../test/helper.ts';
import { createEnrollmentCode } from '../admin.ts';
import { sha256HexSync } from '../credentials.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const enroll = (code: string, deviceName = 'Front till') =>
  server.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/devices/enroll`,
    payload: { code, deviceName, appVersion: '0.1.0' },
  });

const newCode = async (ttlMinutes = 60, now = server.clock.now()) =>
  (await createEnrollmentCode(server.app.ledger, server.store.id, ttlMinutes, now)).code;

const INVALID_CODE = {
  error: 'enrollment_code_invalid',
  message:
    'This enrollment code is not valid: it may be mistyped, already used or expired. Ask a manager for a new one.',
};

describe('POST /api/v1/devices/enroll', () => {
  it('[AUTH-1] a valid code enrolls a device: token issued once, device numbered, code spent', async () => {
    const code = await newCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const response = await enroll(code);

    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const enrolled = response.json<EnrollResponse>();
    expect(enrolled).toMatchObject({
      deviceNo: 1,
      deviceName: 'Front till',
      tenantName: 'Demo Shop',
      store: server.store,
    });
    expect(enrolled.deviceToken).toMatch(/^till_dev_[A-Za-z0-9_-]{43}$/);

    const [device] = rows(server.sql, 'devices', { id: enrolled.deviceId });
    expect(device).toMatchObject({
      store_id: server.store.id,
      device_no: 1,
      status: 'active',
      token_hash: sha256HexSync(enrolled.deviceToken),
      app_version: '0.1.0',
      acked_seq: 0,
    });
    const [spent] = rows(server.sql, 'enrollment_codes', { used_by_device_id: enrolled.deviceId });
    expect(spent).toMatchObject({ used_at: server.clock.now().toISOString(), store_id: server.store.id });

    const second = await enroll((await newCode()).toLowerCase().replaceAll('-', ' '), 'Back till');
    expect(second.statusCode).toBe(201);
    expect(second.json<EnrollResponse>().deviceNo).toBe(2);
  });

  it('[AUTH-2] the device token and the code are stored only hashed: neither appears in the database files', async () => {
    const code = await newCode();
    const { deviceToken } = (await enroll(code)).json<EnrollResponse>();
    const file = server.config.database.file;
    for (const path of [file, `${file}-wal`]) {
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path).toString('latin1');
      expect(bytes.includes(deviceToken)).toBe(false);
      expect(bytes.includes(deviceToken.slice('till_dev_'.length))).toBe(false);
      expect(bytes.includes(code)).toBe(false);
      expect(bytes.includes(code.replaceAll('-', ''))).toBe(false);
    }
  });

  it('[AUTH-1] a code works once: the second use is 400 enrollment_code_invalid and creates nothing', async () => {
    const code = await newCode();
    expect((await enroll(code)).statusCode).toBe(201);
    const devicesBefore = count(server.sql, 'devices');

    const again = await enroll(code, 'Thief');
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual(INVALID_CODE);
    expect(count(server.sql, 'devices')).toBe(devicesBefore);
    expect(count(server.sql, 'devices', { name: 'Thief' })).toBe(0);
  });

  it('[AUTH-1] an expired code is refused with the same answer as a wrong one', async () => {
    const twoHoursAgo = new Date(server.clock.now().getTime() - 2 * 3_600_000);
    const expired = await newCode(60, twoHoursAgo);
    const devicesBefore = count(server.sql, 'devices');

    const expiredAnswer = await enroll(expired);
    const wrongAnswer = await enroll('ABCD-EFGH-JKMN');
    expect(expiredAnswer.statusCode).toBe(400);
    expect(expiredAnswer.json()).toEqual(INVALID_CODE);
    expect(wrongAnswer.statusCode).toBe(400);
    expect(wrongAnswer.json()).toEqual(INVALID_CODE);
    expect(count(server.sql, 'devices')).toBe(devicesBefore);
    const [stillUnused] = server.sql
      .prepare('select used_at from enrollment_codes where expires_at = ?')
      .all(new Date(twoHoursAgo.getTime() + 3_600_000).toISOString());
    expect(stillUnused).toEqual({ used_at: null });
  });

  it('[AUTH-1] a code used at the last valid moment works; one minute later it would not', async () => {
    const code = await newCode(1);
    server.clock.advance(59_000);
    expect((await enroll(code)).statusCode).toBe(201);
    const late = await newCode(1);
    server.clock.advance(60_000);
    expect((await enroll(late)).statusCode).toBe(400);
  });

  it('[ERR-2] an enroll body with a missing member is 400 with details', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/devices/enroll`,
      payload: { code: 'ABCD-EFGH-JKMN', appVersion: '1' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid_request',
      details: [{ path: '/deviceName', message: 'is required' }],
    });
  });
});

describe('GET /api/v1/device', () => {
  it('[I10] tells the device who it is, from its token alone', async () => {
    const till = await server.enroll('Counter');
    await till.push(till.pushBody(await till.nextSales(2)));
    const response = await server.app.inject({ method: 'GET', url: `${API_PREFIX}/device`, headers: till.headers });

    expect(response.statusCode).toBe(200);
    expect(response.json<DeviceInfo>()).toEqual({
      deviceId: till.deviceId,
      deviceNo: till.enrollment.deviceNo,
      deviceName: 'Counter',
      ackedSeq: 2,
      store: server.store,
    });
  });

  it('[I10] without a token it is 401', async () => {
    const response = await server.app.inject({ method: 'GET', url: `${API_PREFIX}/device` });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="till"');
    expect(response.json()).toMatchObject({ error: 'unauthorized' });
  });
});
