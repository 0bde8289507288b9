import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type FaultSettings, parseFaultSettings } from './faults.ts';
import type { ChargeRow, IdempotencyRecord, SimulatorLedger } from './ledger.ts';

/** What `GET /control/ledger` answers: every charge, and counts a test can assert I4 on. */
export interface LedgerSnapshot {
  charges: ChargeRow[];
  idempotencyKeys: Omit<IdempotencyRecord, 'body'>[];
  counts: {
    /** PaymentIntents created per idempotency key (replays create none). */
    byIdempotencyKey: Record<string, number>;
    /** PaymentIntents per `metadata.till_payment_id`, whatever their status. */
    byTillPaymentId: Record<string, number>;
    /** Successful (money-taking) PaymentIntents per `metadata.till_payment_id`. */
    succeededByTillPaymentId: Record<string, number>;
  };
}

export interface ControlDeps {
  ledger: SimulatorLedger;
  fault(): FaultSettings;
  apiListening(): boolean;
  setFault(settings: FaultSettings): Promise<void>;
  reset(): Promise<void>;
}

/** The control port: JSON in, JSON out. Never exposed beyond loopback by the CLI's default. */
export function createControlHandler(deps: ControlDeps): RequestListener {
  async function answer(request: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(request.url ?? '/', 'http://control.invalid').pathname;
    const route = `${request.method} ${path}`;
    switch (route) {
      case 'GET /control/health':
        return [200, { ok: true }];
      case 'GET /control/fault':
        return [200, { fault: deps.fault(), apiListening: deps.apiListening() }];
      case 'POST /control/fault': {
        let body: unknown;
        try {
          body = JSON.parse(await readText(request));
        } catch {
          return [400, { error: 'body must be JSON' }];
        }
        const settings = parseFaultSettings(body);
        if (typeof settings === 'string') return [400, { error: settings }];
        await deps.setFault(settings);
        return [200, { fault: deps.fault(), apiListening: deps.apiListening() }];
      }
      case 'GET /control/ledger':
        return [200, snapshot(deps.ledger)];
      case 'POST /control/reset':
        await deps.reset();
        return [200, { fault: deps.fault(), apiListening: deps.apiListening() }];
      default:
        return [404, { error: `no route ${route}` }];
    }
  }

  return (request, response) => {
    answer(request)
      .catch((error: unknown): [number, unknown] => [
        500,
        { error: error instanceof Error ? error.message : String(error) },
      ])
      .then(([status, body]) => send(response, status, body));
  };
}

export function snapshot(ledger: SimulatorLedger): LedgerSnapshot {
  const charges = ledger.charges();
  const tally = (rows: ChargeRow[], keyOf: (row: ChargeRow) => string | null): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const key = keyOf(row);
      if (key !== null) counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  return {
    charges,
    idempotencyKeys: ledger.idempotencyRecords(),
    counts: {
      byIdempotencyKey: tally(charges, (row) => row.idempotencyKey),
      byTillPaymentId: tally(charges, (row) => row.tillPaymentId),
      succeededByTillPaymentId: tally(
        charges.filter((row) => row.status === 'succeeded'),
        (row) => row.tillPaymentId,
      ),
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
