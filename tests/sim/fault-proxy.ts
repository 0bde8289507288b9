import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { realSleep } from './clock.ts';
import type { Prng } from './prng.ts';

/**
 * Probabilities of what the proxy does to one request (the rest are forwarded untouched). Each
 * request gets ONE decision, drawn from the proxy's own seeded stream in arrival order.
 */
export interface FaultProfile {
  /** Never forwarded; the client's connection is cut (it cannot tell whether the server acted). */
  dropRequest: number;
  /** Forwarded and answered by the server (which may have committed), then the connection is cut. */
  dropResponse: number;
  /** Forwarded after a random wait of up to `maxDelayMs` (the client may time out meanwhile). */
  delay: number;
  /** Sent to the server twice — at once or one after the other; the client gets one answer. */
  duplicate: number;
  /** Held until a later request has been served (or `maxDelayMs`), then forwarded: reordered. */
  reorder: number;
  maxDelayMs: number;
}

export const CLEAN: FaultProfile = {
  dropRequest: 0,
  dropResponse: 0,
  delay: 0,
  duplicate: 0,
  reorder: 0,
  maxDelayMs: 0,
};

export type ProxyAction = 'forward' | 'drop_request' | 'drop_response' | 'delay' | 'duplicate' | 'reorder';

/** What the proxy saw and did, for the run's summary. */
export interface ProxyStats {
  requests: number;
  actions: Record<ProxyAction, number>;
  /** The same, by route (`sync/push`, `payments/capture`…), counting only what was not plainly forwarded. */
  faultsByRoute: Record<string, Partial<Record<ProxyAction, number>>>;
  /** Requests that found no server (down, or refused): the client saw a cut connection or a 502. */
  upstreamDown: number;
}

export interface ProxyRequestInfo {
  method: string;
  path: string;
}

export interface FaultProxyOptions {
  /** Where to forward: the current upstream base URL, or null while it is down. */
  target: () => string | null;
  random: Prng;
  /** Called as each copy of a request is sent upstream (kill triggers hang off this). */
  onForward?: (info: ProxyRequestInfo) => void;
  /** Notes each faulted request and what the client got (verbose runs). */
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length', 'upgrade']);

/**
 * A node:http proxy on loopback between clients (the tills, or the server's gateway adapter)
 * and their upstream, playing the network faults of a `FaultProfile`. It never invents an
 * answer: a client gets the upstream's answer, a cut connection, or (upstream down) a 502.
 */
export class FaultProxy {
  readonly stats: ProxyStats = {
    requests: 0,
    actions: { forward: 0, drop_request: 0, drop_response: 0, delay: 0, duplicate: 0, reorder: 0 },
    faultsByRoute: {},
    upstreamDown: 0,
  };
  #profile: FaultProfile = CLEAN;
  #server: Server | null = null;
  #held: { release: () => void } | null = null;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #options: FaultProxyOptions;

  constructor(options: FaultProxyOptions) {
    this.#options = options;
  }

  setProfile(profile: FaultProfile): void {
    this.#profile = profile;
    if (profile.reorder === 0) this.#releaseHeld();
  }

  get profile(): FaultProfile {
    return this.#profile;
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const task = this.#handle(request, response).catch(() => destroy(response));
      this.#inFlight.add(task);
      void task.finally(() => this.#inFlight.delete(task));
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#releaseHeld();
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.#inFlight]);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const info: ProxyRequestInfo = { method: request.method ?? 'GET', path: request.url ?? '/' };
    this.stats.requests += 1;
    const action = this.#decide();
    this.stats.actions[action] += 1;
    if (action !== 'forward') {
      const route = routeOf(info.path);
      const counts = this.stats.faultsByRoute[route] ?? {};
      counts[action] = (counts[action] ?? 0) + 1;
      this.stats.faultsByRoute[route] = counts;
    }
    const random = this.#options.random;
    switch (action) {
      case 'drop_request':
        destroy(response);
        return;
      case 'delay':
        await realSleep(random.int(0, this.#profile.maxDelayMs));
        break;
      case 'reorder':
        await this.#hold(random.int(50, Math.max(50, this.#profile.maxDelayMs)));
        break;
      default:
        break;
    }
    // A request forwarded while another is held goes first; the held one follows it.
    const heldBefore = action === 'reorder' ? null : this.#held;
    let answer: Answer | null;
    if (action === 'duplicate') {
      answer = await this.#duplicate(info, request.headers, body);
    } else {
      answer = await this.#forward(info, request.headers, body);
    }
    if (heldBefore !== null && this.#held === heldBefore) this.#releaseHeld();
    if (answer === null) {
      this.stats.upstreamDown += 1;
      // No server behind the proxy: a cut connection most of the time, sometimes a gateway's 502.
      if (random.chance(0.3)) send(response, { status: 502, headers: { 'content-type': 'text/plain' }, body: BAD });
      else destroy(response);
      return;
    }
    if (action !== 'forward') {
      this.#options.log?.(
        `proxy ${action} ${info.method} ${routeOf(info.path)} → ${action === 'drop_response' ? 'cut' : answer.status}`,
      );
    }
    if (action === 'drop_response') {
      destroy(response);
      return;
    }
    send(response, answer);
  }

  #decide(): ProxyAction {
    const p = this.#profile;
    const roll = this.#options.random.next();
    const entries: Array<[ProxyAction, number]> = [
      ['drop_request', p.dropRequest],
      ['drop_response', p.dropResponse],
      ['delay', p.delay],
      ['duplicate', p.duplicate],
      ['reorder', p.reorder],
    ];
    let edge = 0;
    for (const [action, probability] of entries) {
      edge += probability;
      if (roll < edge) return action;
    }
    return 'forward';
  }

  /** Both copies go upstream (at once, or the second after the first answered). */
  async #duplicate(info: ProxyRequestInfo, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer | null> {
    const random = this.#options.random;
    const together = random.chance(0.5);
    const answerSecond = random.chance(0.5);
    if (together) {
      const [first, second] = await Promise.all([
        this.#forward(info, headers, body),
        this.#forward(info, headers, body),
      ]);
      return (answerSecond ? (second ?? first) : (first ?? second)) ?? null;
    }
    const first = await this.#forward(info, headers, body);
    const second = await this.#forward(info, headers, body);
    return (answerSecond ? (second ?? first) : (first ?? second)) ?? null;
  }

  async #hold(maxMs: number): Promise<void> {
    if (this.#held !== null) return; // one at a time: a second candidate just goes through
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#releaseHeld(), maxMs);
      this.#held = {
        release: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  #releaseHeld(): void {
    const held = this.#held;
    this.#held = null;
    held?.release();
  }

  #forward(info: ProxyRequestInfo, headers: IncomingHttpHeaders, body: Buffer): Promise<Answer | null> {
    const base = this.#options.target();
    if (base === null) return Promise.resolve(null);
    const url = new URL(info.path, base);
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) outgoing[name] = value;
    }
    outgoing['content-length'] = String(body.length);
    this.#options.onForward?.(info);
    return new Promise((resolve) => {
      const upstream = httpRequest(
        { host: url.hostname, port: url.port, method: info.method, path: url.pathname + url.search, headers: outgoing },
        (reply) => {
          readBody(reply).then(
            (replyBody) => resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: replyBody }),
            () => resolve(null),
          );
        },
      );
      upstream.on('error', () => resolve(null));
      upstream.end(body);
    });
  }
}

const BAD = Buffer.from('Bad Gateway: no upstream');

/** `/api/v1/sync/push` → `sync/push`; ids and query strings left out. */
export function routeOf(path: string): string {
  return (path.split('?')[0] ?? '').replace(/^\/(api\/)?v1\//, '').replace(/\/[0-9a-z]*[0-9][0-9a-z_-]{8,}$/i, '/:id');
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('aborted')));
  });
}

function send(response: ServerResponse, answer: Answer): void {
  if (response.destroyed || response.headersSent) return;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers['content-length'] = String(answer.body.length);
  response.writeHead(answer.status, headers);
  response.end(answer.body);
}

function destroy(response: ServerResponse): void {
  response.socket?.destroy();
  response.destroy();
}
