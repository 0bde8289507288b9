import type { ManagerStore, SequenceIssueRow } from '@till/shared/core';
import { useState } from 'react';
import type { PageProps } from '../page-props.ts';
import { DataState } from '../ui/DataState.tsx';
import { dateTime } from '../ui/format.ts';
import { ReasonDialog } from '../ui/ReasonDialog.tsx';
import { useAcknowledgeIssue, useSequenceIssues } from './use-sequence-issues.ts';

const KIND_WORDS: Record<SequenceIssueRow['kind'], string> = {
  gap: 'Sales missing',
  reuse: 'Sale number used twice',
  break: 'Hash chain broken',
  invalid: 'Hash does not check',
};

function seqs(issue: SequenceIssueRow): string {
  return issue.fromSeq === issue.toSeq ? `#${issue.fromSeq}` : `#${issue.fromSeq}–${issue.toSeq}`;
}

/**
 * Open sequence problems of the store's tills (I3): what is missing or does not chain, which
 * sale revealed it, and — once looked into — acknowledging it with a reason (MGR-13). The sales
 * themselves are never changed.
 */
export function SequenceIssuesCard({ store, navigate }: { store: ManagerStore; navigate: PageProps['navigate'] }) {
  const issues = useSequenceIssues(store.id);
  const [acknowledging, setAcknowledging] = useState<SequenceIssueRow | null>(null);
  return (
    <section className="m-card" data-testid="sequence-issues">
      <h2>Sequence problems</h2>
      <DataState
        query={issues}
        isEmpty={(list) => list.length === 0}
        empty="None open: every till's sales are numbered without gaps and chain correctly."
      >
        {(list) => (
          <div className="m-table-wrap">
            <table className="m-table">
              <thead>
                <tr>
                  <th scope="col">Till</th>
                  <th scope="col">Problem</th>
                  <th scope="col">Sale numbers</th>
                  <th scope="col">Found</th>
                  <th scope="col">Revealed by</th>
                  <th scope="col">
                    <span className="m-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((issue) => (
                  <tr key={issue.id} data-testid={`sequence-issue-${issue.deviceNo}-${issue.fromSeq}`}>
                    <td>
                      {issue.deviceNo} · {issue.deviceName}
                    </td>
                    <td title={issue.detail}>{KIND_WORDS[issue.kind]}</td>
                    <td>{seqs(issue)}</td>
                    <td>{dateTime(issue.detectedAt, store)}</td>
                    <td>
                      {issue.receiptNo === null ? (
                        '—'
                      ) : (
                        <button
                          type="button"
                          className="m-link"
                          onClick={() => navigate('sales', { sale: issue.saleId })}
                        >
                          {issue.receiptNo}
                        </button>
                      )}
                    </td>
                    <td>
                      <button type="button" className="m-btn" onClick={() => setAcknowledging(issue)}>
                        Acknowledge…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DataState>
      <p className="m-muted">
        A gap closes by itself when the missing sales arrive. Acknowledge a problem only once you know why it happened
        (e.g. a tablet lost with unsent sales); the sales and their flags stay as they are.
      </p>
      {acknowledging !== null && (
        <AcknowledgeDialog storeId={store.id} issue={acknowledging} onClose={() => setAcknowledging(null)} />
      )}
    </section>
  );
}

function AcknowledgeDialog({
  storeId,
  issue,
  onClose,
}: {
  storeId: string;
  issue: SequenceIssueRow;
  onClose: () => void;
}) {
  const acknowledge = useAcknowledgeIssue(storeId);
  return (
    <ReasonDialog
      title={`${KIND_WORDS[issue.kind]} on till ${issue.deviceNo} (${seqs(issue)})`}
      testId="sequence-acknowledge-dialog"
      explanation={issue.detail}
      reasonLabel="What happened (kept in the audit log)"
      reasonTestId="sequence-acknowledge-reason"
      placeholder="e.g. Tablet dropped before sale 12 was sent; paper receipt on file"
      confirmLabel="Acknowledge"
      confirmTestId="sequence-acknowledge-confirm"
      pendingLabel="Saving…"
      tone="primary"
      pending={acknowledge.isPending}
      error={acknowledge.error}
      onConfirm={(reason) => acknowledge.mutate({ issueId: issue.id, reason }, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
