import { useState } from 'react';
import '../manage-ops.css';
import { AuditTable } from '../audit/AuditTable.tsx';
import { KNOWN_AUDIT_ACTIONS } from '../audit/audit-actions.ts';
import { type AuditFilter, useAudit } from '../audit/use-audit.ts';
import { DateRangeFields } from '../exports/DateRangeFields.tsx';
import { lastDays } from '../exports/days.ts';
import type { PageProps } from '../page-props.ts';
import { DataState } from '../ui/DataState.tsx';

/** The audit log of the store: every manager action that changed something (MGR-8). */
export function AuditPage({ store }: PageProps) {
  const [filter, setFilter] = useState<AuditFilter>(() => ({ ...lastDays(store.timezone, 7), action: '' }));
  const [actionText, setActionText] = useState('');
  const query = useAudit(store.id, filter);
  const entries = query.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <div className="m-page mo-page">
      <div className="m-page__head">
        <h1>Audit log</h1>
      </div>
      <form
        className="m-toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter((previous) => ({ ...previous, action: actionText.trim() }));
        }}
      >
        <DateRangeFields
          range={filter}
          onChange={(range) => setFilter((previous) => ({ ...previous, ...range }))}
          idPrefix="audit"
        />
        <div className="m-field">
          <label htmlFor="audit-action-filter">Action</label>
          <input
            id="audit-action-filter"
            data-testid="audit-action-filter"
            list="audit-actions"
            placeholder="all actions"
            value={actionText}
            onChange={(event) => {
              setActionText(event.target.value);
              // Picking from the list (or clearing the field) filters at once; typing waits for Enter.
              const value = event.target.value.trim();
              if (value === '' || KNOWN_AUDIT_ACTIONS.some((action) => action === value)) {
                setFilter((previous) => ({ ...previous, action: value }));
              }
            }}
          />
          <datalist id="audit-actions">
            {KNOWN_AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action} />
            ))}
          </datalist>
        </div>
        <button type="submit" className="m-btn" data-testid="audit-apply">
          Filter
        </button>
      </form>
      <DataState query={query} isEmpty={() => entries.length === 0} empty="Nothing was recorded for this filter.">
        {() => (
          <>
            <AuditTable entries={entries} store={store} />
            {query.hasNextPage && (
              <button
                type="button"
                className="m-btn mo-more"
                data-testid="audit-more"
                disabled={query.isFetchingNextPage}
                onClick={() => query.fetchNextPage()}
              >
                {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </DataState>
    </div>
  );
}
