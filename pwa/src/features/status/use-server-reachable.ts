import { useQuery } from '@tanstack/react-query';
import { useTill } from '../../app/till-context.ts';
import { useSyncSnapshot } from '../sync/use-sync-snapshot.ts';
import { healthQuery } from './status-queries.ts';
import { useOnline } from './use-online.ts';

export type Reachability = 'reachable' | 'unreachable' | 'unknown';

/**
 * Whether the server answers: the most recent of the health ping and the sync engine's last
 * request decides. Offline means unreachable without asking.
 */
export function useServerReachable(): Reachability {
  const { api, monitor } = useTill();
  const online = useOnline();
  const health = useQuery(healthQuery(api, online, monitor));
  const { lastContact } = useSyncSnapshot();
  if (!online) return 'unreachable';
  const pingAt = Math.max(health.dataUpdatedAt, health.errorUpdatedAt);
  const pingReachable = health.dataUpdatedAt >= health.errorUpdatedAt && health.dataUpdatedAt > 0;
  if (lastContact && lastContact.at > pingAt) return lastContact.reachable ? 'reachable' : 'unreachable';
  if (pingAt === 0) return 'unknown';
  return pingReachable ? 'reachable' : 'unreachable';
}
