import type { ReactNode } from 'react';
import { errorMessage, isOffline, isUnauthorized } from './errors.ts';

/** The part of a TanStack Query result (plain or infinite) that DataState reads. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  fetchStatus: 'fetching' | 'paused' | 'idle';
  refetch: () => unknown;
}

/**
 * Loading, error, offline and empty states around one query, so every page says the same thing
 * the same way. Data already loaded stays on screen when a refresh fails (the shell's offline
 * banner says how old it is); only a first load that fails shows the error here.
 */
export function DataState<T>({
  query,
  isEmpty,
  empty = 'Nothing to show.',
  loading = 'Loading…',
  children,
}: {
  query: QueryLike<T>;
  /** When true, `empty` is shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loading?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error } = query;
  if (data !== undefined) {
    return (
      <>
        {error !== null && !isOffline(error) && !isUnauthorized(error) && (
          <p className="m-state m-state--stale" role="status">
            Could not refresh: {errorMessage(error)} The figures below are from the last answer.
          </p>
        )}
        {isEmpty?.(data) ? <div className="m-state m-state--empty">{empty}</div> : children(data)}
      </>
    );
  }
  if (query.fetchStatus === 'paused' || (error !== null && isOffline(error))) {
    return (
      <div className="m-state m-state--offline" role="status">
        <p>Offline — this needs the server, and nothing was loaded before the connection went.</p>
        <button type="button" className="m-btn" onClick={() => query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (error !== null && error !== undefined) {
    // The shell signs the manager out on a 401; say nothing alarming meanwhile.
    if (isUnauthorized(error)) return <div className="m-state">Your session ended.</div>;
    return (
      <div className="m-state m-state--error" role="alert">
        <p>{errorMessage(error)}</p>
        <button type="button" className="m-btn" onClick={() => query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <div className="m-state m-state--loading" role="status" aria-live="polite">
      {loading}
    </div>
  );
}
