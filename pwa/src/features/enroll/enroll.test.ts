import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../api/http.ts';
import { getDevice, TillDb } from '../../db/index.ts';
import { TEST_STORE } from '../../test-support/ledger-fixtures.ts';
import { EnrollError, enroll } from './enroll.ts';

const input = { code: 'ABCDEF12', deviceName: 'Front till', appVersion: '1.0.0' };

function answering(status: number, body: unknown): FetchLike {
  return async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('enroll', () => {
  it('stores the device and its token, then loads the catalog', async () => {
    const db = new TillDb(`enroll-ok-${Math.random()}`);
    const requests: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      requests.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.endsWith('/devices/enroll')) {
        return Response.json(
          {
            deviceId: '01890a5d-ac96-774b-bcce-b302099a8058',
            deviceNo: 2,
            deviceName: 'Front till',
            deviceToken: 'secret',
            tenantName: 'Demo',
            store: TEST_STORE,
          },
          { status: 201 },
        );
      }
      return Response.json({ version: 1, full: true, store: TEST_STORE, products: [] });
    };
    await enroll(db, { baseUrl: 'http://till.test', fetch }, input);
    expect(await getDevice(db)).toMatchObject({ deviceNo: 2, token: 'secret', store: { code: 'DEMO' } });
    expect(requests).toEqual([
      'POST http://till.test/api/v1/devices/enroll',
      'GET http://till.test/api/v1/catalog?since=0',
    ]);
  });

  it('says "connect to the network" when the server cannot be reached, and stores nothing', async () => {
    const db = new TillDb(`enroll-offline-${Math.random()}`);
    const offline: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await enroll(db, { baseUrl: '', fetch: offline }, input).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(EnrollError);
    expect((error as EnrollError).code).toBe('unreachable');
    expect((error as EnrollError).message).toMatch(/connect to the network/i);
    expect(await getDevice(db)).toBeNull();
  });

  it('tells a bad code apart from other failures', async () => {
    const db = new TillDb(`enroll-bad-${Math.random()}`);
    const bad = answering(400, { error: 'enrollment_code_invalid', message: 'Unknown code' });
    await expect(enroll(db, { baseUrl: '', fetch: bad }, input)).rejects.toMatchObject({ code: 'code_invalid' });
    const down = answering(503, { error: 'internal_error', message: 'down' });
    await expect(enroll(db, { baseUrl: '', fetch: down }, input)).rejects.toMatchObject({ code: 'unreachable' });
    expect(await getDevice(db)).toBeNull();
  });
});
