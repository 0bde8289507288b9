import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CaptureRequest,
  canonicalJson,
  type HealthResponse,
  type PushRequest,
  type PushResponse,
  type Sale,
  type SaleResult,
  type ShiftEvent,
  type ShiftEventResult,
  type ShiftPushRequest,
} from '@till/shared/core';
import { type CaptureBehaviour, FakePayments } from './fake-payments.ts';

/**
 * What the fake server does with the next push:
 * - `commit`: store the batch (replays answered the same, new content under a known id → 409);
 * - `commit-then-drop`: commit, then destroy the socket so the till never sees the answer;
 * - `hang`: never answer;
 * - a status with a body (and headers): answer that, storing nothing.
 */
export type PushBehaviour =
  | 'commit'
  | 'commit-then-drop'
  | 'hang'
  | { status: number; body?: unknown; headers?: Record<string, string> };

export interface RecordedPush {
  batchId: string;
  saleIds: string[];
  seqs: number[];
  authorization: string | undefined;
  request: PushRequest;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) that speaks the push endpoint the way the
 * contract says: a batch commits all-or-nothing, a replay of the same batch gets the same
 * answer, a known batch id with other sales gets 409. Tests queue behaviours to break it.
 * It also answers live captures, the payment updates feed and health (see `FakePayments`).
 */
export class FakeSyncServer {
  readonly pushes: RecordedPush[] = [];
  readonly committed = new Map<string, Sale>();
  private readonly batches = new Map<string, { saleIds: string; response: PushResponse }>();
  private readonly behaviours: PushBehaviour[] = [];
  readonly payments = new FakePayments();
  /** Every `POST /sync/shifts` body, in arrival order. */
  readonly shiftPushes: ShiftPushRequest[] = [];
  /** Shift events stored, by id (a resend with the same content is a duplicate, other content a conflict). */
  readonly shiftEvents = new Map<string, ShiftEvent>();
  private readonly shiftBehaviours: PushBehaviour[] = [];
  /** Every request as `METHOD /path?query`, in arrival order. */
  readonly requests: string[] = [];
  private server: Server | null = null;
  url = '';

  /** Queue behaviours for the next live captures; once the queue is empty the gateway answers. */
  nextCapture(...behaviours: CaptureBehaviour[]): this {
    this.payments.behaviours.push(...behaviours);
    return this;
  }

  /** Queue behaviours for the next pushes; once the queue is empty every push commits. */
  next(...behaviours: PushBehaviour[]): this {
    this.behaviours.push(...behaviours);
    return this;
  }

  /** Queue behaviours for the next shift event pushes; once the queue is empty every one commits. */
  nextShifts(...behaviours: PushBehaviour[]): this {
    this.shiftBehaviours.push(...behaviours);
    return this;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = `${request.method} ${request.url}`;
    this.requests.push(route);
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'POST' && path === '/api/v1/sync/push') return this.handlePush(request, response);
    if (request.method === 'POST' && path === '/api/v1/sync/shifts') return this.handleShifts(request, response);
    if (request.method === 'POST' && path === '/api/v1/payments/capture') return this.handleCapture(request, response);
    if (request.method === 'GET' && path === '/api/v1/payments/updates') {
      const since = Number(new URL(request.url ?? '', 'http://x').searchParams.get('since') ?? 0);
      return json(response, 200, this.payments.updates(since));
    }
    if (request.method === 'GET' && path === '/api/v1/health') {
      const health: HealthResponse = {
        status: 'ok',
        version: 'fake',
        protocolVersion: 1,
        time: new Date().toISOString(),
        checks: {},
        ...(this.payments.gateway ? { gateway: this.payments.gateway } : {}),
      };
      return json(response, 200, health);
    }
    json(response, 404, { error: 'not_found', message: 'no such route' });
  }

  private async handleCapture(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJson(request)) as CaptureRequest;
    this.payments.captures.push({ request: body, authorization: request.headers.authorization });
    await this.payments.onCapture?.(body);
    const behaviour = this.payments.behaviours.shift() ?? 'gateway';
    if (behaviour === 'hang') return;
    if (behaviour === 'drop') {
      request.socket.destroy();
      return;
    }
    if (typeof behaviour === 'object' && 'status' in behaviour) {
      if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body ?? { error: 'internal_error', message: 'test failure' }));
      return;
    }
    if (typeof behaviour === 'object') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    json(response, 200, this.payments.answer(body));
  }

  private async handlePush(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJson(request)) as PushRequest;
    this.pushes.push({
      batchId: body.batchId,
      saleIds: body.sales.map((sale) => sale.id),
      seqs: body.sales.map((sale) => sale.deviceSeq),
      authorization: request.headers.authorization,
      request: body,
    });
    const behaviour = this.behaviours.shift() ?? 'commit';
    if (behaviour === 'hang') return;
    if (typeof behaviour === 'object') {
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body ?? { error: 'internal_error', message: 'test failure' }));
      return;
    }
    const answer = this.commit(body);
    if (behaviour === 'commit-then-drop') {
      request.socket.destroy();
      return;
    }
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  }

  private async handleShifts(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = (await readJson(request)) as ShiftPushRequest;
    this.shiftPushes.push(body);
    const behaviour = this.shiftBehaviours.shift() ?? 'commit';
    if (behaviour === 'hang') return;
    if (typeof behaviour === 'object') {
      response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      response.end(JSON.stringify(behaviour.body ?? { error: 'internal_error', message: 'test failure' }));
      return;
    }
    const results = body.events.map((event): ShiftEventResult => {
      const known = this.shiftEvents.get(event.id);
      if (known === undefined) {
        this.shiftEvents.set(event.id, event);
        return { id: event.id, status: 'new' };
      }
      return { id: event.id, status: canonicalJson(known) === canonicalJson(event) ? 'duplicate' : 'conflict' };
    });
    if (behaviour === 'commit-then-drop') {
      request.socket.destroy();
      return;
    }
    json(response, 200, { results });
  }

  private commit(body: PushRequest): { status: number; body: unknown } {
    const saleIds = body.sales.map((sale) => sale.id).join(',');
    const known = this.batches.get(body.batchId);
    if (known) {
      if (known.saleIds === saleIds) return { status: 200, body: known.response };
      return { status: 409, body: { error: 'batch_id_reused', message: 'batch id used with other content' } };
    }
    const results: SaleResult[] = body.sales.map((sale) => {
      const duplicate = this.committed.has(sale.id);
      if (!duplicate) {
        this.committed.set(sale.id, sale);
        this.payments.onSaleCommitted(sale);
      }
      return { saleId: sale.id, deviceSeq: sale.deviceSeq, status: duplicate ? 'duplicate' : 'new', flags: [] };
    });
    const response: PushResponse = {
      protocolVersion: 1,
      batchId: body.batchId,
      receivedAt: new Date().toISOString(),
      results,
      ackedSeq: Math.max(0, ...[...this.committed.values()].map((sale) => sale.deviceSeq)),
    };
    this.batches.set(body.batchId, { saleIds, response });
    return { status: 200, body: response };
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
