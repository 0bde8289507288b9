import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { manageKeys } from '../api/manage-keys.ts';
import { isOffline } from '../ui/errors.ts';
import { useOnline } from '../ui/use-online.ts';

export interface Connection {
  /** The browser says offline, or the last request got no answer and none has been answered since. */
  offline: boolean;
  /** When the newest store figures on screen were fetched (ms), or null if none were. */
  figuresAt: number | null;
}

interface Seen {
  answeredAt: number;
  offlineAt: number;
  figuresAt: number;
}

const STORE_PREFIX = [...manageKeys.all, 'store'];

/**
 * Whether the console can reach the server, read from what its queries and mutations saw: an
 * `offline` failure newer than the last answer means the server is out of reach, even while the
 * browser believes it is online (Wi-Fi up, server down).
 */
export function useConnection(): Connection {
  const online = useOnline();
  const queryClient = useQueryClient();
  const [seen, setSeen] = useState<Seen>({ answeredAt: 0, offlineAt: 0, figuresAt: 0 });

  useEffect(() => {
    const read = () => {
      const next: Seen = { answeredAt: 0, offlineAt: 0, figuresAt: 0 };
      for (const query of queryClient.getQueryCache().findAll({ queryKey: manageKeys.all })) {
        const { dataUpdatedAt, errorUpdatedAt, error } = query.state;
        next.answeredAt = Math.max(next.answeredAt, dataUpdatedAt);
        if (isOffline(error)) next.offlineAt = Math.max(next.offlineAt, errorUpdatedAt);
        if (STORE_PREFIX.every((part, index) => query.queryKey[index] === part)) {
          next.figuresAt = Math.max(next.figuresAt, dataUpdatedAt);
        }
      }
      for (const mutation of queryClient.getMutationCache().getAll()) {
        const { error, submittedAt, status } = mutation.state;
        if (status === 'error' && isOffline(error)) next.offlineAt = Math.max(next.offlineAt, submittedAt);
        if (status === 'success') next.answeredAt = Math.max(next.answeredAt, submittedAt);
      }
      setSeen((previous) =>
        previous.answeredAt === next.answeredAt &&
        previous.offlineAt === next.offlineAt &&
        previous.figuresAt === next.figuresAt
          ? previous
          : next,
      );
    };
    read();
    // Cache events fire while other components render (a query is created during render);
    // setting state then is a React error, so read once after the current work instead.
    let scheduled = false;
    let stopped = false;
    const readSoon = () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (!stopped) read();
      });
    };
    const stopQueries = queryClient.getQueryCache().subscribe(readSoon);
    const stopMutations = queryClient.getMutationCache().subscribe(readSoon);
    return () => {
      stopped = true;
      stopQueries();
      stopMutations();
    };
  }, [queryClient]);

  return {
    offline: !online || seen.offlineAt > seen.answeredAt,
    figuresAt: seen.figuresAt > 0 ? seen.figuresAt : null,
  };
}
