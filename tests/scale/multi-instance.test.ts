import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  API_PREFIX,
  type CaptureRequest,
  type CardTender,
  CSRF_HEADER,
  type EnrollResponse,
  type ManagerSession,
  PROTOCOL_VERSION,
  type PushResponse,
  type Sale,
  SESSION_COOKIE,
  uuidv7,
} from '@till/shared';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayControl } from '../../scripts/gateway-simulator/control-client.ts';
import { type SimulatorProcess, spawnGatewaySimulator } from '../../scripts/gateway-simulator/spawn.ts';
import { type ServerProcess, spawnServer } from '../../scripts/storm/processes.ts';
import { outageSales } from '../../scripts/storm/sales.ts';
import { createEnrollmentCode } from '../../sync-server/src/admin.ts';
import { DEMO_OWNER, seedDemo } from '../../sync-server/src/seed.ts';
import { openLedger } from '../../sync-server/src/store/open-ledger.ts';

/**
 * Two sync-server processes, started as an operator starts them (`sync-server/src/server.ts`),
 * on ONE ledger (a SQLite file: the same claim, lease and idempotency code paths as Azure SQL),
 * both running the capture worker, against the gateway simulator as a third process. Tills push
 * the same batches to both instances at once and overlapping batches to each in turn; card
 * payments are live-captured on both instances at once, then forwarded as stored and drained by
 * whichever worker claims them. Then the file and the gateway's own ledger must show each sale
 * stored once and each charge taken once (I2, I4), and a manager session made on one instance
 * must work — and end — on the other (MGR-2, MGR-4: sessions and sign-in limits live in SQL).
 */

const TILLS = 2;
const SALES_PER_TILL = 40;
const CARD_SHARE = 0.25;
const WINDOW = 8;
const STEP = 4;

let dataDir: string;
let ledgerFile: string;
let simulator: SimulatorProcess;
let instances: ServerProcess[] = [];
let codes: string[] = [];
let storeId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'till-scale-'));
  ledgerFile = join(dataDir, 'till.sqlite');
  // The schema and the demo store (with its owner) exist before the instances start, as after
  // a deployment's first start; each instance then runs the migrator again and finds nothing to do.
  const ledger = await openLedger({ kind: 'sqlite', file: ledgerFile });
  try {
    const { store } = await seedDemo(ledger);
    storeId = store.id;
    for (let index = 0; index < TILLS; index += 1) codes.push((await createEnrollmentCode(ledger, store.id, 60)).code);
  } finally {
    await ledger.close();
  }
  simulator = await spawnGatewaySimulator({ dataFile: join(dataDir, 'gateway-simulator.sqlite') });
  const env = {
    TILL_DATA_DIR: dataDir,
    PWA_DIR: join(dataDir, 'no-pwa'),
    LOG_LEVEL: 'warn',
    GATEWAY_URL: simulator.apiUrl,
    CAPTURE_WORKER: 'on',
  };
  instances = await Promise.all([spawnServer(env), spawnServer(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await simulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  codes = [];
});

/** A JSON request; a 429 (shed, or this device busy on that instance) is retried after Retry-After, at most 5 times. */
async function call<T>(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: T; headers: Headers }> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, {
      method: init.method,
      headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    if (response.status === 429 && attempt < 5) {
      await delay(Number(response.headers.get('retry-after') ?? '1') * 1000);
      continue;
    }
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
  }
}

function instance(index: number): ServerProcess {
  const server = instances[index % instances.length];
  if (server === undefined) throw new Error('no instance');
  return server;
}

interface Till {
  enrollment: EnrollResponse;
  sales: Sale[];
  auth: Record<string, string>;
}

function cardOf(sale: Sale): CardTender | undefined {
  const tender = sale.tenders.find((t) => t.kind === 'card');
  return tender?.kind === 'card' ? tender : undefined;
}

const sentBatches = new Map<string, PushResponse[]>();

async function push(till: Till, on: ServerProcess, batchId: string, sales: Sale[]): Promise<void> {
  const answer = await call<PushResponse>(`${on.url}${API_PREFIX}/sync/push`, {
    method: 'POST',
    headers: till.auth,
    body: { protocolVersion: PROTOCOL_VERSION, batchId, sales },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  sentBatches.set(batchId, [...(sentBatches.get(batchId) ?? []), answer.body]);
}

describe('several sync-server instances on one ledger', () => {
  it('[I2][I4] each sale is stored once and each card charged once, whichever instance gets what, however often', async () => {
    // Each till enrolls through another instance.
    const tills: Till[] = [];
    for (const [index, code] of codes.entries()) {
      const enrolled = await call<EnrollResponse>(`${instance(index).url}${API_PREFIX}/devices/enroll`, {
        method: 'POST',
        body: { code, deviceName: `Till ${index + 1}`, appVersion: 'scale-test' },
      });
      expect(enrolled.status).toBe(201);
      const enrollment = enrolled.body;
      const sales = await outageSales({
        store: enrollment.store,
        deviceNo: enrollment.deviceNo,
        count: SALES_PER_TILL,
        cardShare: CARD_SHARE,
        endedAt: Date.now(),
      });
      tills.push({ enrollment, sales, auth: { authorization: `Bearer ${enrollment.deviceToken}` } });
    }
    const cardSales = tills.flatMap((till) => till.sales.filter((sale) => cardOf(sale) !== undefined));
    expect(cardSales).toHaveLength(TILLS * SALES_PER_TILL * CARD_SHARE);

    // Every other card payment is captured live — the same request to both instances at once
    // (a till retrying through the load balancer). One holds the lease and calls the gateway; the
    // other answers the settled outcome or 504 (outcome not known yet: store it, same id). A till
    // has one capture in flight per instance at a time; the tills run side by side.
    const liveAnswers = (
      await Promise.all(
        tills.map(async (till) => {
          const answers: (string | number | undefined)[][] = [];
          const live = till.sales.filter((sale) => cardOf(sale) !== undefined).filter((_, index) => index % 2 === 0);
          for (const sale of live) {
            const tender = cardOf(sale) as CardTender;
            const request: CaptureRequest = {
              paymentId: tender.id,
              saleId: sale.id,
              amount: tender.amount,
              currency: sale.currency,
              gatewayToken: tender.gatewayToken,
              brand: tender.brand,
              last4: tender.last4,
              reference: sale.receiptNo,
            };
            const both = await Promise.all(
              instances.map((on) =>
                call<{ status?: string }>(`${on.url}${API_PREFIX}/payments/capture`, {
                  method: 'POST',
                  headers: till.auth,
                  body: request,
                }),
              ),
            );
            answers.push(both.map((answer) => (answer.status === 200 ? answer.body.status : answer.status)));
          }
          return answers;
        }),
      )
    ).flat();
    expect(liveAnswers).toHaveLength(TILLS * SALES_PER_TILL * CARD_SHARE * 0.5);
    for (const answers of liveAnswers) {
      expect(
        answers.every((answer) => answer === 'captured' || answer === 504),
        JSON.stringify(answers),
      ).toBe(true);
      expect(answers).toContain('captured');
    }

    // Then every sale is pushed — the live-captured ones with their card as stored, as a till
    // does when it never saw the answer. Windows of 8 overlap by 4; each window goes to both
    // instances at once under one batch id, then again re-batched from 2 later to one instance.
    await Promise.all(
      tills.map(async (till, tillIndex) => {
        for (let start = 0, window = 0; start < SALES_PER_TILL; start += STEP, window += 1) {
          const batchId = uuidv7();
          const sales = till.sales.slice(start, start + WINDOW);
          await Promise.all(instances.map((on) => push(till, on, batchId, sales)));
          const again = till.sales.slice(start + 2, start + 2 + WINDOW);
          if (again.length > 0) await push(till, instance(window + tillIndex), uuidv7(), again);
        }
      }),
    );

    // A batch id sent to both instances got one answer: the second is the stored first.
    for (const [batchId, answers] of sentBatches) {
      for (const answer of answers) expect(answer, batchId).toEqual(answers[0]);
    }
    // Across distinct batches, each sale was new exactly once and a duplicate otherwise.
    const results = [...sentBatches.values()].flatMap((answers) => answers[0]?.results ?? []);
    for (const sale of tills.flatMap((till) => till.sales)) {
      const forSale = results.filter((result) => result.saleId === sale.id);
      expect(
        forSale.filter((result) => result.status === 'new'),
        sale.id,
      ).toHaveLength(1);
      expect(forSale.filter((result) => result.status !== 'new' && result.status !== 'duplicate')).toEqual([]);
      expect(forSale.flatMap((result) => result.flags)).toEqual([]);
    }

    // Both workers drain what is left; wait until every card payment is captured.
    const sql = new Database(ledgerFile, { readonly: true });
    try {
      const captured = () =>
        (sql.prepare("select count(*) as n from payments where state = 'captured'").get() as { n: number }).n;
      const deadline = Date.now() + 30_000;
      while (captured() < cardSales.length && Date.now() < deadline) await delay(200);

      const one = (query: string) => sql.prepare(query).get() as Record<string, number>;
      expect(one('select count(*) as n, count(distinct id) as ids from sales')).toEqual({
        n: TILLS * SALES_PER_TILL,
        ids: TILLS * SALES_PER_TILL,
      });
      for (const till of tills) {
        expect(
          sql
            .prepare(
              'select count(*) as n, count(distinct device_seq) as seqs, min(device_seq) as low, max(device_seq) as high from sales where device_id = ?',
            )
            .get(till.enrollment.deviceId),
        ).toEqual({ n: SALES_PER_TILL, seqs: SALES_PER_TILL, low: 1, high: SALES_PER_TILL });
      }
      expect(one("select count(*) as n from sales where status <> 'new'").n).toBe(0);
      expect(one('select count(*) as n from sequence_issues').n).toBe(0);
      expect(one('select count(*) as n from batches').n).toBe(sentBatches.size);
      const payments = sql.prepare('select id, state, sale_id from payments order by id').all() as {
        id: string;
        state: string;
        sale_id: string | null;
      }[];
      expect(payments.map((payment) => payment.id).sort()).toEqual(
        cardSales.map((sale) => (cardOf(sale) as CardTender).id).sort(),
      );
      expect(payments.filter((payment) => payment.state !== 'captured')).toEqual([]);
      expect(payments.filter((payment) => payment.sale_id === null)).toEqual([]);

      // One successful capture attempt per payment, whoever made it (a live request or either worker).
      expect(one("select count(*) as n from payment_attempts where kind = 'capture' and outcome = 'captured'").n).toBe(
        payments.length,
      );

      // The gateway's own ledger: one successful charge per payment, one PaymentIntent per key.
      const gateway = await gatewayControl(simulator.controlUrl).ledger();
      const expected = Object.fromEntries(payments.map((payment) => [payment.id, 1]));
      expect(gateway.counts.succeededByTillPaymentId).toEqual(expected);
      expect(gateway.counts.byIdempotencyKey).toEqual(expected);
    } finally {
      sql.close();
    }
  }, 60_000);

  it('[MGR-2][MGR-4] a manager session made on one instance works and ends on the other; sign-in limits count across both', async () => {
    const [a, b] = [instance(0), instance(1)];
    const signIn = await fetch(`${a.url}${API_PREFIX}/manager/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_OWNER.email, password: DEMO_OWNER.password }),
    });
    expect(signIn.status).toBe(200);
    const session = (await signIn.json()) as ManagerSession;
    const token = new RegExp(`(?:^|[;,]\\s*)${SESSION_COOKIE}=([^;]+)`).exec(
      signIn.headers.get('set-cookie') ?? '',
    )?.[1];
    expect(token).toBeDefined();
    const cookie = { cookie: `${SESSION_COOKIE}=${token}` };

    const onB = await call<ManagerSession>(`${b.url}${API_PREFIX}/manager/session`, { method: 'GET', headers: cookie });
    expect(onB.status).toBe(200);
    expect(onB.body.csrfToken).toBe(session.csrfToken);
    expect(onB.body.stores.map((store) => store.id)).toContain(storeId);
    const today = await call(`${b.url}${API_PREFIX}/manager/stores/${storeId}/today`, {
      method: 'GET',
      headers: cookie,
    });
    expect(today.status).toBe(200);

    // Signed out on B: the session row is gone, so A refuses the cookie too.
    const signOut = await call(`${b.url}${API_PREFIX}/manager/session`, {
      method: 'DELETE',
      headers: { ...cookie, [CSRF_HEADER]: session.csrfToken },
    });
    expect(signOut.status).toBeLessThan(300);
    expect((await fetch(`${a.url}${API_PREFIX}/manager/session`, { headers: cookie })).status).toBe(401);

    // Five failed sign-ins alternating between the instances lock the e-mail on both.
    const attempt = (on: ServerProcess, password: string) =>
      fetch(`${on.url}${API_PREFIX}/manager/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_OWNER.email, password }),
      });
    for (let failure = 0; failure < 5; failure += 1) {
      expect((await attempt(instance(failure), `wrong password ${failure}`)).status).toBe(401);
    }
    expect((await attempt(a, DEMO_OWNER.password)).status).toBe(429);
    expect((await attempt(b, DEMO_OWNER.password)).status).toBe(429);
  }, 30_000);
});
