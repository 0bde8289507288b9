import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@till/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gatewayControl } from '../../../scripts/gateway-simulator/control-client.ts';
import { type SimulatorProcess, spawnGatewaySimulator } from '../../../scripts/gateway-simulator/spawn.ts';
import { type CaptureRequest, GatewayError } from './payment-gateway.ts';
import { createStripeGateway } from './stripe-gateway.ts';

/**
 * The simulator as a separate process (`tsx scripts/gateway-simulator/main.ts`), the way the
 * demo and the worker's end-to-end tests run it: faults across a real process boundary, and a
 * ledger that outlives the process.
 */
let dataDir: string;
let dataFile: string;
let simulator: SimulatorProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'till-gateway-process-'));
  dataFile = join(dataDir, 'gateway-simulator.sqlite');
  simulator = await spawnGatewaySimulator({ dataFile });
});
afterAll(async () => {
  await simulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function cardPayment(): CaptureRequest {
  return { paymentId: uuidv7(), amount: 4_999, currency: 'EUR', gatewayToken: 'pm_card_visa', reference: 'R-0042' };
}

async function failureOf(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

it('[I4] commit-then-drop: the retry under the same key returns the original charge and the ledger holds one', async () => {
  const control = gatewayControl(simulator.controlUrl);
  const gateway = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 1000 });
  try {
    const payment = cardPayment();
    await control.setFault({ mode: 'commit_then_drop' });
    const error = await failureOf(gateway.capture(payment));
    expect(error.kind).toBe('unknown');

    await control.setFault({ mode: 'up' });
    const [original] = (await control.ledger()).charges.filter((row) => row.tillPaymentId === payment.paymentId);
    expect(original?.status).toBe('succeeded');
    expect(await gateway.capture(payment)).toEqual({ status: 'captured', gatewayRef: original?.id });
    expect((await control.ledger()).counts.byIdempotencyKey[payment.paymentId]).toBe(1);
  } finally {
    gateway.close();
  }
});

it('down refuses connections (retryable) and up listens again on the same port', async () => {
  const control = gatewayControl(simulator.controlUrl);
  const gateway = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 1000 });
  try {
    await control.setFault({ mode: 'down' });
    expect(await failureOf(gateway.capture(cardPayment()))).toMatchObject({
      kind: 'retryable',
      code: 'connection_refused',
    });
    await control.setFault({ mode: 'up' });
    expect(await gateway.capture(cardPayment())).toMatchObject({ status: 'captured' });
  } finally {
    gateway.close();
  }
});

it('[I4] the ledger survives a restart: after SIGTERM the new process finds the charge and replays it, still one', async () => {
  const payment = cardPayment();
  const first = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 1000 });
  const captured = await first.capture(payment);
  first.close();
  expect(await simulator.stop()).toBe(0);

  simulator = await spawnGatewaySimulator({ dataFile });
  const gateway = createStripeGateway({ apiKey: 'sk_test_till', baseUrl: simulator.apiUrl, timeoutMs: 1000 });
  try {
    expect(await gateway.lookup(payment.paymentId)).toEqual(captured);
    expect(await gateway.capture(payment)).toEqual(captured);
    const ledger = await gatewayControl(simulator.controlUrl).ledger();
    expect(ledger.counts.succeededByTillPaymentId[payment.paymentId]).toBe(1);
    expect(ledger.idempotencyKeys.find((record) => record.key === payment.paymentId)?.replays).toBe(1);
  } finally {
    gateway.close();
  }
});
