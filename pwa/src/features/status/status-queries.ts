import { queryOptions } from '@tanstack/react-query';
import type { HealthResponse } from '@till/shared';
import { type ApiTarget, getHealth } from '../../api/endpoints.ts';
import { describeFailure } from '../../api/http.ts';

/** Query keys of the status feature. */
export const statusKeys = {
  all: ['status'] as const,
  health: (baseUrl: string) => [...statusKeys.all, 'health', baseUrl] as const,
};

const HEALTH_EVERY_MS = 30_000;

/** The server's health, pinged every 30 s while online; an error means "unreachable". */
export function healthQuery(api: ApiTarget, online: boolean) {
  return queryOptions({
    queryKey: statusKeys.health(api.baseUrl),
    queryFn: async (): Promise<HealthResponse> => {
      const outcome = await getHealth({ ...api, timeoutMs: 5_000 });
      if (outcome.kind !== 'ok') throw new Error(describeFailure(outcome));
      return outcome.body;
    },
    enabled: online,
    refetchInterval: HEALTH_EVERY_MS,
    refetchIntervalInBackground: false,
    retry: false,
    networkMode: 'always',
  });
}
