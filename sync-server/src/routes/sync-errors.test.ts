import { API_PREFIX, MAX_SALES_PER_PUSH, type Sale, uuidv7 } from '@till/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, startTestServer, type TestServer, type TestTill, tableCounts } from '../../test/helper.ts';
import { revokeDevice } from '../admin.ts';

let server: TestServer;
let till: TestTill;
beforeAll(async () => {
  server = await startTestServer();
  till = await server.enroll();
});
afterAll(async () => {
  await server.close();
});

/** Sends a request and checks it changed no row anywhere in the ledger. */
async function refusedWithoutWriting(send: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  const before = tableCounts(server.sql);
  const response = await send();
  expect(tableCounts(server.sql)).toEqual(before);
  return response;
}

describe('a refused push writes nothing and says what to fix', () => {
  it(`[protocol] more than ${MAX_SALES_PER_PUSH} sales in one push is 400 invalid_request at /sales`, async () => {
    const sales: Sale[] = [];
    for (let seq = 1; seq <= MAX_SALES_PER_PUSH + 1; seq += 1) sales.push(await till.makeSale(seq, '0'.repeat(64)));
    const response = await refusedWithoutWriting(() => till.push(till.pushBody(sales)));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request', details: [{ path: '/sales' }] });
  });

  it('[ERR-3] a body over the size limit is 413 payload_too_large', async () => {
    const huge = JSON.stringify({ ...till.pushBody([]), padding: 'x'.repeat(server.config.bodyLimitBytes) });
    const response = await refusedWithoutWriting(() => till.push(huge));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'payload_too_large', message: expect.stringContaining('bytes') });
  });

  it('[ERR-3] malformed JSON is 400 invalid_request', async () => {
    const response = await refusedWithoutWriting(() => till.push('{"protocolVersion":1,"batchId":'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', message: 'The body is not valid JSON' });
  });

  it('[ERR-2] a wrong type is 400 with a JSON pointer to it, and no sale of the batch is stored', async () => {
    const good = await till.makeSale(1, '0'.repeat(64));
    const bad = await till.makeSale(2, good.hash);
    const body = JSON.parse(JSON.stringify(till.pushBody([good, bad])));
    body.sales[1].lines[0].qty = '2';
    const response = await refusedWithoutWriting(() => till.push(body));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid_request',
      details: [{ path: '/sales/1/lines/0/qty', message: 'must be integer' }],
    });
    expect(count(server.sql, 'sales', { id: good.id })).toBe(0);
  });

  it('[ERR-1] missing and unknown members are named in details', async () => {
    const sale = await till.makeSale(1, '0'.repeat(64));
    const { receiptNo: _dropped, ...withoutReceipt } = sale;
    const body = { ...till.pushBody([]), sales: [{ ...withoutReceipt, cardNumber: '4111111111111111' }] };
    const response = await refusedWithoutWriting(() => till.push(body));
    expect(response.statusCode).toBe(400);
    const details = response.json<{ details: { path: string; message: string }[] }>().details;
    expect(details).toEqual(
      expect.arrayContaining([
        { path: '/sales/0/receiptNo', message: 'is required' },
        { path: '/sales/0/cardNumber', message: 'is not allowed' },
      ]),
    );
  });

  it('[ERR-3] another protocol version is 400 unsupported_protocol_version', async () => {
    const response = await refusedWithoutWriting(() => till.push({ ...till.pushBody([]), protocolVersion: 2 }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'unsupported_protocol_version' });
  });

  it('[protocol] a body of another media type is 415 (text is read, then refused by the schema)', async () => {
    const send = (contentType: string) =>
      refusedWithoutWriting(() =>
        server.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/sync/push`,
          headers: { ...till.headers, 'content-type': contentType },
          payload: '<sales/>',
        }),
      );
    const xml = await send('application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: 'unsupported_media_type' });
    const text = await send('text/plain');
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({
      error: 'invalid_request',
      details: [{ path: '/', message: 'must be object' }],
    });
  });
});

describe('device authentication (I10)', () => {
  const push = (authorization?: string) =>
    server.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/sync/push`,
      headers: authorization === undefined ? {} : { authorization },
      payload: { protocolVersion: 1, batchId: uuidv7(), sales: [] },
    });

  it('[I10][AUTH-3] a push without a token is 401 unauthorized with WWW-Authenticate', async () => {
    const response = await refusedWithoutWriting(() => push());
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'unauthorized' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('[I10][AUTH-3] a malformed or unknown token is 401 unauthorized', async () => {
    expect((await refusedWithoutWriting(() => push('Bearer nonsense'))).statusCode).toBe(401);
    const unknown = `Bearer till_dev_${'A'.repeat(43)}`;
    const response = await refusedWithoutWriting(() => push(unknown));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('[I10][AUTH-3] a revoked device is 403 device_revoked and its sales are not stored', async () => {
    const revoked = await server.enroll('Lost tablet');
    expect(await revokeDevice(server.app.ledger, revoked.deviceId, server.clock.now())).toBe(true);
    const response = await refusedWithoutWriting(() => revoked.push(revoked.pushBody([])));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'device_revoked' });
    const info = await server.app.inject({ method: 'GET', url: `${API_PREFIX}/device`, headers: revoked.headers });
    expect(info.statusCode).toBe(403);
  });
});
