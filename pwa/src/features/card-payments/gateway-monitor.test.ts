import type { HealthResponse } from '@till/shared/core';
import { describe, expect, it } from 'vitest';
import { GatewayMonitor } from './gateway-monitor.ts';

function health(breaker?: 'closed' | 'open' | 'half_open'): HealthResponse {
  return {
    status: 'ok',
    version: 'x',
    protocolVersion: 1,
    time: new Date(0).toISOString(),
    checks: {},
    ...(breaker ? { gateway: { breaker, retryAfterSeconds: 30, backlog: 0 } } : {}),
  };
}

function monitor(contact: { at: number; reachable: boolean } | null = null) {
  const clock = { now: 1_000_000 };
  const gateway = new GatewayMonitor({ now: () => clock.now, syncContact: () => contact });
  return { gateway, clock };
}

describe('live or stored: decided from what is already known', () => {
  it('offline → stored at once', () => {
    const { gateway } = monitor();
    expect(gateway.route(false)).toEqual({ kind: 'store', reason: 'offline' });
    expect(gateway.view(false).label).toBe('Card payments: storing (offline)');
  });

  it('nothing known → live; the status bar says nothing about the gateway yet', () => {
    const { gateway } = monitor();
    expect(gateway.route(true)).toEqual({ kind: 'live' });
    expect(gateway.view(true)).toEqual({ mode: 'unknown', reason: null, label: null });
    gateway.noteHealth(health());
    expect(gateway.view(true).mode).toBe('unknown');
  });

  it('a health answer with the breaker open → stored; closed or half-open → live', () => {
    const { gateway, clock } = monitor();
    gateway.noteHealth(health('open'));
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'gateway_unavailable' });
    expect(gateway.view(true).label).toBe('Card payments: storing (gateway down)');
    clock.now += 10_000;
    gateway.noteHealth(health('half_open'));
    expect(gateway.route(true)).toEqual({ kind: 'live' });
    gateway.noteHealth(health('closed'));
    expect(gateway.view(true).label).toBe('Card payments: live');
  });

  it('an old "open" reading is not believed for ever', () => {
    const { gateway, clock } = monitor();
    gateway.noteHealth(health('open'));
    clock.now += 44_000;
    expect(gateway.route(true).kind).toBe('store');
    clock.now += 2_000;
    expect(gateway.route(true).kind).toBe('live');
  });

  it('a 503 opens the breaker; a capture timeout stores the next cards for a while; an answer clears it', () => {
    const { gateway, clock } = monitor();
    const store503 = {
      kind: 'store',
      reason: 'gateway_unavailable',
      attempt: 'refused',
      retryAfterMs: null,
      detail: '',
    } as const;
    gateway.noteCapture({ ...store503, cause: 'gateway_unavailable' });
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'gateway_unavailable' });
    clock.now += 60_000;
    expect(gateway.route(true)).toEqual({ kind: 'live' });
    gateway.noteCapture({ ...store503, reason: 'timeout', attempt: 'unknown', cause: 'gateway_timeout' });
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'gateway_unavailable' });
    expect(gateway.view(true).label).toBe('Card payments: storing (gateway not answering)');
    gateway.noteCapture({ kind: 'captured', gatewayRef: 'ch_1', message: 'Approved' });
    expect(gateway.route(true)).toEqual({ kind: 'live' });
  });

  it('a 503 holds for its Retry-After (5–30 s) even if health still reads the breaker closed', () => {
    const { gateway, clock } = monitor();
    const unavailable = {
      kind: 'store',
      reason: 'gateway_unavailable',
      attempt: 'refused',
      cause: 'gateway_unavailable',
      detail: '',
    } as const;
    gateway.noteCapture({ ...unavailable, retryAfterMs: null });
    gateway.noteHealth(health('closed'));
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'gateway_unavailable' });
    expect(gateway.view(true).label).toBe('Card payments: storing (gateway down)');
    clock.now += 10_001;
    expect(gateway.route(true)).toEqual({ kind: 'live' });
    gateway.noteCapture({ ...unavailable, retryAfterMs: 120_000 });
    clock.now += 29_000;
    expect(gateway.route(true).kind).toBe('store');
    clock.now += 2_000;
    expect(gateway.route(true).kind).toBe('live');
  });

  it('the breaker closing after it was open ends the cool-off at once', () => {
    const { gateway } = monitor();
    gateway.noteCapture({
      kind: 'store',
      reason: 'timeout',
      attempt: 'unknown',
      cause: 'gateway_timeout',
      retryAfterMs: null,
      detail: '',
    });
    gateway.noteHealth(health('closed'));
    expect(gateway.route(true).kind).toBe('store');
    gateway.noteHealth(health('open'));
    gateway.noteHealth(health('closed'));
    expect(gateway.route(true)).toEqual({ kind: 'live' });
  });

  it('the server unreachable in the last seconds → stored; a newer success → live', () => {
    const { gateway, clock } = monitor();
    gateway.noteHealthFailure(false);
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'server_unreachable' });
    clock.now += 21_000;
    expect(gateway.route(true)).toEqual({ kind: 'live' });
    gateway.noteHealthFailure(false);
    clock.now += 1_000;
    gateway.noteHealth(health('closed'));
    expect(gateway.route(true)).toEqual({ kind: 'live' });
  });

  it("the sync engine's failed push counts as a witness", () => {
    const { gateway, clock } = monitor({ at: 1_000_000, reachable: false });
    clock.now += 5_000;
    expect(gateway.route(true)).toEqual({ kind: 'store', reason: 'server_unreachable' });
  });
});
