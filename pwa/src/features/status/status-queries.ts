import { queryOptions } from '@tanstack/react-query';
import type { HealthResponse } from '@till/shared/core';
import { type ApiTarget, getHealth } from '../../api/endpoints.ts';
import { describeFailure } from '../../api/http.ts';
import type { GatewayMonitor } from '../card-payments/gateway-monitor.ts';

/** Query keys of the status feature. */
export const statusKeys = {
  all: ['status'] as const,
  health: (baseUrl: string) => [...statusKeys.all, 'health', baseUrl] as const,
};

const HEALTH_EVERY_MS = 15_000;

/**
 * The server's health, pinged every 15 s while online (and again after every card capture
 * answer); an error means "unreachable". Each answer also tells the gateway monitor what the
 * server's circuit breaker says, so a card decides live or stored without waiting.
 */
export function healthQuery(api: ApiTarget, online: boolean, monitor: GatewayMonitor) {
  return queryOptions({
    queryKey: statusKeys.health(api.baseUrl),
    queryFn: async (): Promise<HealthResponse> => {
      const outcome = await getHealth({ ...api, timeoutMs: 5_000 });
      if (outcome.kind !== 'ok') {
        monitor.noteHealthFailure(outcome.kind === 'error');
        throw new Error(describeFailure(outcome));
      }
      monitor.noteHealth(outcome.body);
      return outcome.body;
    },
    enabled: online,
    refetchInterval: HEALTH_EVERY_MS,
    refetchIntervalInBackground: false,
    retry: false,
    networkMode: 'always',
  });
}
