import type { GatewayHealth, HealthResponse, StoredReason } from '@till/shared/core';
import type { CaptureVerdict } from './capture-verdict.ts';

/** Where the next card payment goes: to the gateway now, or straight into store-and-forward. */
export type CardRoute = { kind: 'live' } | { kind: 'store'; reason: StoredReason };

/** What the status bar says about card payments; `label` null when nothing is known yet. */
export interface GatewayView {
  mode: 'live' | 'storing' | 'unknown';
  reason: StoredReason | null;
  label: string | null;
}

export interface GatewayMonitorOptions {
  now: () => number;
  /** The sync engine's last request outcome: one more witness that the server is (un)reachable. */
  syncContact?: () => { at: number; reachable: boolean } | null;
  /** A failed contact this recent means "store at once" (health pings every 15 s keep it fresh). */
  unreachableWindowMs?: number;
  /** After a capture timed out, store at once for this long rather than make each customer wait. */
  slowCoolOffMs?: number;
  /** How long an "open" breaker reading is believed without a newer one. */
  breakerTrustMs?: number;
}

const DEFAULTS = { unreachableWindowMs: 20_000, slowCoolOffMs: 30_000, breakerTrustMs: 45_000 };

/** A 503 is believed for its Retry-After, within these bounds (10 s when it gives none). */
const UNAVAILABLE_MIN_MS = 5_000;
const UNAVAILABLE_DEFAULT_MS = 10_000;
const UNAVAILABLE_MAX_MS = 30_000;

/**
 * What this tab knows about the path to the card gateway, from every witness it has: health
 * pings (the server's circuit breaker), capture answers, the sync engine's requests. It decides,
 * without any network wait, whether a card goes live or is stored at once. Plain class with an
 * injected clock; React subscribes to it.
 */
export class GatewayMonitor {
  private readonly options: GatewayMonitorOptions & typeof DEFAULTS;
  private reachableAt = 0;
  private unreachableAt = 0;
  private breaker: { state: GatewayHealth['breaker']; at: number } | null = null;
  private slowUntil = 0;
  private unavailableUntil = 0;
  private liveAt = 0;
  private version = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: GatewayMonitorOptions) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** A health answer: the server is reachable, and (when it says) what its breaker is doing. */
  noteHealth(health: HealthResponse): void {
    const at = this.options.now();
    this.reachableAt = at;
    if (health.gateway) {
      // The breaker closing again after it was open means the server's probe got through:
      // the gateway answers again, so the local cool-off after a timeout is over too.
      if (this.breaker?.state === 'open' && health.gateway.breaker !== 'open') {
        this.slowUntil = 0;
        this.unavailableUntil = 0;
      }
      this.breaker = { state: health.gateway.breaker, at };
    }
    this.emit();
  }

  /** A health ping that failed; `reachedServer` when the server answered (with an error). */
  noteHealthFailure(reachedServer: boolean): void {
    const at = this.options.now();
    if (reachedServer) this.reachableAt = at;
    else this.unreachableAt = at;
    this.emit();
  }

  /** What a capture answer says about the gateway and the server. */
  noteCapture(verdict: CaptureVerdict): void {
    const at = this.options.now();
    if (verdict.kind === 'captured' || verdict.kind === 'declined') {
      this.reachableAt = at;
      this.liveAt = at;
      this.slowUntil = 0;
      this.unavailableUntil = 0;
      if (this.breaker?.state === 'open') this.breaker = { state: 'closed', at };
    } else if (verdict.kind === 'conflict') {
      this.reachableAt = at;
    } else if (verdict.cause === 'gateway_unavailable') {
      // The server's own word for "not now", whatever its breaker reads a moment later (it
      // may not have counted enough failures to open yet).
      this.reachableAt = at;
      const wait = verdict.retryAfterMs ?? UNAVAILABLE_DEFAULT_MS;
      this.unavailableUntil = at + Math.min(UNAVAILABLE_MAX_MS, Math.max(UNAVAILABLE_MIN_MS, wait));
    } else if (verdict.cause === 'gateway_timeout' || verdict.cause === 'client_timeout') {
      if (verdict.cause === 'gateway_timeout') this.reachableAt = at;
      this.slowUntil = at + this.options.slowCoolOffMs;
    } else if (verdict.cause === 'network') {
      this.unreachableAt = at;
    } else {
      this.reachableAt = at;
    }
    this.emit();
  }

  /**
   * Live or stored, decided from what is already known — never by waiting on the network:
   * offline → stored; breaker known open (health), or a 503 within its Retry-After → stored; a
   * capture timed out in the last `slowCoolOffMs` → stored; the server unreachable in the last `unreachableWindowMs` →
   * stored; otherwise live.
   */
  route(online: boolean): CardRoute {
    const reason = this.storingReason(online, this.options.now());
    return reason ? { kind: 'store', reason } : { kind: 'live' };
  }

  view(online: boolean): GatewayView {
    const now = this.options.now();
    const reason = this.storingReason(online, now);
    if (reason) return { mode: 'storing', reason, label: `Card payments: storing (${this.describe(reason, now)})` };
    const known = this.liveAt > 0 || this.breaker !== null;
    return known
      ? { mode: 'live', reason: null, label: 'Card payments: live' }
      : { mode: 'unknown', reason: null, label: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever a witness reported; for `useSyncExternalStore`. */
  getVersion = (): number => this.version;

  private storingReason(online: boolean, now: number): StoredReason | null {
    if (!online) return 'offline';
    if (this.breakerOpen(now) || now < this.unavailableUntil || now < this.slowUntil) return 'gateway_unavailable';
    if (this.recentlyUnreachable(now)) return 'server_unreachable';
    return null;
  }

  private describe(reason: StoredReason, now: number): string {
    if (reason === 'offline') return 'offline';
    if (reason === 'server_unreachable') return 'server unreachable';
    return this.breakerOpen(now) || now < this.unavailableUntil ? 'gateway down' : 'gateway not answering';
  }

  private breakerOpen(now: number): boolean {
    return this.breaker?.state === 'open' && now - this.breaker.at < this.options.breakerTrustMs;
  }

  private recentlyUnreachable(now: number): boolean {
    const contact = this.options.syncContact?.() ?? null;
    const lastFailed = Math.max(this.unreachableAt, contact && !contact.reachable ? contact.at : 0);
    const lastReached = Math.max(this.reachableAt, contact?.reachable ? contact.at : 0);
    return lastFailed > lastReached && now - lastFailed < this.options.unreachableWindowMs;
  }

  private emit(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}
