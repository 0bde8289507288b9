import { useQueryClient } from '@tanstack/react-query';
import type { ManagerStore } from '@till/shared/core';
import { manageKeys } from '../api/manage-keys.ts';
import { dateTime } from '../ui/format.ts';

/** Says plainly that the figures may be old, and from when; the cached figures stay on screen. */
export function OfflineBanner({ figuresAt, store }: { figuresAt: number | null; store: ManagerStore | null }) {
  const queryClient = useQueryClient();
  const when =
    figuresAt === null
      ? null
      : store
        ? dateTime(new Date(figuresAt).toISOString(), store)
        : new Date(figuresAt).toLocaleTimeString();
  return (
    <div className="m-offline" role="status" data-testid="manage-offline">
      <span>
        {when === null
          ? 'Offline — the console needs the server; nothing could be loaded yet.'
          : `Offline — the console needs the server; figures shown are from ${when} and may be out of date.`}
      </span>
      <button
        type="button"
        className="m-btn m-btn--small"
        onClick={() => void queryClient.refetchQueries({ queryKey: manageKeys.all, type: 'active' })}
      >
        Try again
      </button>
    </div>
  );
}
