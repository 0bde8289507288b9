import { uuidv7 } from '@till/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayEnv, startTestGateway, type TestGateway } from '../../../../test/gateway-helper.ts';
import { cardOf, startTestServer, type TestServer, type TestTill } from '../../../../test/helper.ts';
import { type ManagerClient, signIn, startOtherTenant } from '../../../../test/manager-helper.ts';
import { madeAt } from '../../../../test/reconciliation-helper.ts';

/** A minimal RFC 4180 reader, to check what a spreadsheet would see cell by cell. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}

/** The records of a CSV as objects keyed by the header row. */
function table(text: string): Record<string, string>[] {
  const [header, ...records] = parseCsv(text);
  if (header === undefined) throw new Error('no header row');
  return records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
}

let gateway: TestGateway;
let server: TestServer;
let manager: ManagerClient;
let till: TestTill;
const NASTY_CASHIER = '=HYPERLINK("http://evil.test","Click"), Jo';
const TOKENS = ['pm_card_visa', 'pm_card_chargeDeclined'];

beforeAll(async () => {
  gateway = await startTestGateway();
  server = await startTestServer(gatewayEnv(gateway));
  till = await server.enroll('Till "A", front');
  const shift = { shiftId: uuidv7(), cashier: NASTY_CASHIER };
  const sales = [
    await till.nextSale(madeAt('2026-03-01T15:00:00.000Z', shift)),
    await till.nextCardSale({}, madeAt('2026-03-01T23:30:00.000Z', { ...shift, cashier: '+1 (555) 0100' })),
    await till.nextCardSale({ gatewayToken: 'pm_card_chargeDeclined' }, madeAt('2026-03-02T06:00:00.000Z', shift)),
  ];
  expect((await till.push(till.pushBody(sales))).statusCode).toBe(200);
  await server.app.captureWorker?.runOnce(10);
  manager = await signIn(server);
});
afterAll(async () => {
  await server.close();
  await gateway.close();
});

describe('CSV exports', () => {
  it('[MGR-12] sales.csv: an attachment with a header row, store-time dates, money in minor and major units', async () => {
    const response = await manager.get(manager.store('/exports/sales.csv'), { from: '2026-03-01', to: '2026-03-01' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="DEMO-sales-2026-03-01-2026-03-01.csv"');
    const rows = table(response.body);
    // 23:30Z on 1 March is 18:30 in New York: the same store day. 06:00Z on 2 March is 01:00 on the 2nd.
    expect(rows.map((row) => [row.device_seq, row.created_date, row.created_time, row.created_at])).toEqual([
      ['1', '2026-03-01', '10:00:00', '2026-03-01T15:00:00.000Z'],
      ['2', '2026-03-01', '18:30:00', '2026-03-01T23:30:00.000Z'],
    ]);
    expect(rows[0]).toMatchObject({
      receipt_no: 'DEMO-01-000001',
      device: 'Till "A", front',
      total_minor: '1353',
      total: '13.53',
      tax_minor: '103',
      tax: '1.03',
      cash_minor: '1353',
      cash: '13.53',
      card_minor: '0',
      card: '0.00',
      status: 'new',
      flags: '',
    });
    const both = table(
      (await manager.get(manager.store('/exports/sales.csv'), { from: '2026-03-01', to: '2026-03-02' })).body,
    );
    expect(both).toHaveLength(3);
  });

  it('[MGR-12] cells that a spreadsheet would run as a formula are prefixed with a quote; quotes and commas are escaped', async () => {
    const response = await manager.get(manager.store('/exports/sales.csv'), { from: '2026-03-01', to: '2026-03-01' });
    expect(response.body).toContain('"\'=HYPERLINK(""http://evil.test"",""Click""), Jo"');
    const rows = table(response.body);
    expect(rows.map((row) => row.cashier)).toEqual([`'${NASTY_CASHIER}`, "'+1 (555) 0100"]);
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+@\t\r]/);
    }
  });

  it('[MGR-12][I8] payments.csv has the card outcome and follow-up columns and never a gateway token', async () => {
    const response = await manager.get(manager.store('/exports/payments.csv'), {
      from: '2026-03-01',
      to: '2026-03-02',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="DEMO-payments-2026-03-01-2026-03-02.csv"',
    );
    const rows = table(response.body);
    expect(rows.map((row) => [row.receipt_no, row.state, row.amount_minor, row.amount, row.last4])).toEqual([
      ['DEMO-01-000002', 'captured', '1353', '13.53', '4242'],
      ['DEMO-01-000003', 'declined', '1353', '13.53', '4242'],
    ]);
    expect(rows[0]?.gateway_ref).toMatch(/^pi_/);
    expect(rows[1]?.decline_code).toBe('generic_decline');
    expect(Object.keys(rows[0] ?? {})).toEqual(
      expect.arrayContaining([
        'payment_id',
        'entry',
        'stored_reason',
        'attempts',
        'follow_up',
        'follow_up_by',
        'follow_up_reason',
      ]),
    );
    for (const kind of ['sales', 'payments', 'batches']) {
      const body = (await manager.get(manager.store(`/exports/${kind}.csv`), { from: '2026-03-01', to: '2026-03-02' }))
        .body;
      for (const token of TOKENS) expect(body).not.toContain(token);
      expect(body).not.toMatch(/gateway_token/);
    }
  });

  it('[MGR-12] batches.csv lists each push by the day the server received it', async () => {
    const response = await manager.get(manager.store('/exports/batches.csv'), { from: '2026-03-02', to: '2026-03-02' });
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="DEMO-batches-2026-03-02-2026-03-02.csv"',
    );
    expect(table(response.body)).toEqual([
      expect.objectContaining({
        received_date: '2026-03-02',
        received_time: '04:00:00',
        sale_count: '3',
        new_count: '3',
        duplicate_count: '0',
        flagged_count: '0',
        total_minor: '4059',
        total: '40.59',
      }),
    ]);
    const dayBefore = await manager.get(manager.store('/exports/batches.csv'), {
      from: '2026-03-01',
      to: '2026-03-01',
    });
    expect(parseCsv(dayBefore.body)).toHaveLength(1); // the header row only
  });

  it('[MGR-12][I10] another tenant’s sales and payments are never exported', async () => {
    const other = await startOtherTenant(server);
    const theirs = await other.till.nextCardSale({}, madeAt('2026-03-01T16:00:00.000Z'));
    expect((await other.till.push(other.till.pushBody([theirs]))).statusCode).toBe(200);
    for (const kind of ['sales', 'payments']) {
      const body = (await manager.get(manager.store(`/exports/${kind}.csv`), { from: '2026-03-01', to: '2026-03-02' }))
        .body;
      expect(body).not.toContain(theirs.id);
      expect(body).not.toContain(cardOf(theirs).id);
    }
  });

  it('[MGR-12] a range that is not days in order is refused with a 400 that says why', async () => {
    const backwards = await manager.get(manager.store('/exports/sales.csv'), { from: '2026-03-02', to: '2026-03-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({
      error: 'invalid_request',
      message: 'from (2026-03-02) is after to (2026-03-01)',
    });
    const noSuchDay = await manager.get(manager.store('/exports/sales.csv'), { from: '2026-02-30' });
    expect(noSuchDay.statusCode).toBe(400);
    const notADay = await manager.get(manager.store('/exports/sales.csv'), { from: 'yesterday' });
    expect(notADay.statusCode).toBe(400);
  });
});
