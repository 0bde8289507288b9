import { useSyncExternalStore } from 'react';
import { useTill } from '../../app/till-context.ts';
import { useNow } from '../status/use-now.ts';
import { useOnline } from '../status/use-online.ts';
import type { GatewayView } from './gateway-monitor.ts';

/** Live or storing, and why: re-read when the monitor learns something and as time passes. */
export function useGatewayView(): GatewayView {
  const { monitor } = useTill();
  const online = useOnline();
  useSyncExternalStore(monitor.subscribe, monitor.getVersion);
  // A "storing" reading expires by itself (cool-off, stale breaker): look again every few seconds.
  useNow(5_000);
  return monitor.view(online);
}
