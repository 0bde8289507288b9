import type { SequenceIssueRow } from '@till/shared';
import type { Kysely } from 'kysely';
import { actorOf, type ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { runInTransaction } from '../../ledger-dialect.ts';
import { insertAudit } from '../audit.ts';

function issuesQuery(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('sequence_issues')
    .innerJoin('devices', 'devices.id', 'sequence_issues.device_id')
    .leftJoin('sales', (join) =>
      join.onRef('sales.tenant_id', '=', 'sequence_issues.tenant_id').onRef('sales.id', '=', 'sequence_issues.sale_id'),
    )
    .select([
      'sequence_issues.id',
      'sequence_issues.device_id',
      'devices.device_no',
      'devices.name as device_name',
      'sequence_issues.kind',
      'sequence_issues.from_seq',
      'sequence_issues.to_seq',
      'sequence_issues.sale_id',
      'sales.receipt_no',
      'sequence_issues.detail',
      'sequence_issues.detected_at',
      'sequence_issues.resolved_at',
      'sequence_issues.acknowledged_at',
      'sequence_issues.acknowledged_by',
      'sequence_issues.acknowledge_reason',
    ])
    .where('sequence_issues.tenant_id', '=', scope.tenantId)
    .where('sequence_issues.store_id', '=', scope.storeId)
    .where('devices.tenant_id', '=', scope.tenantId);
}

type IssueRowColumns = Awaited<ReturnType<ReturnType<typeof issuesQuery>['executeTakeFirstOrThrow']>>;

function toIssueRow(row: IssueRowColumns): SequenceIssueRow {
  return {
    id: row.id,
    deviceId: row.device_id,
    deviceNo: row.device_no,
    deviceName: row.device_name,
    kind: row.kind,
    fromSeq: row.from_seq,
    toSeq: row.to_seq,
    saleId: row.sale_id,
    receiptNo: row.receipt_no ?? null,
    detail: row.detail,
    detectedAt: row.detected_at,
    resolvedAt: row.resolved_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgeReason: row.acknowledge_reason,
  };
}

/** The store's sequence issues, oldest first; `open` = neither resolved nor acknowledged. */
export async function consoleSequenceIssues(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  view: 'open' | 'all',
): Promise<SequenceIssueRow[]> {
  let query = issuesQuery(db, scope);
  if (view === 'open') {
    query = query.where('sequence_issues.resolved_at', 'is', null).where('sequence_issues.acknowledged_at', 'is', null);
  }
  const rows = await query.orderBy('sequence_issues.detected_at').orderBy('sequence_issues.id').limit(1000).execute();
  return rows.map(toIssueRow);
}

/**
 * A manager acknowledges an issue (MGR-13): who, why, when — audited in the same transaction.
 * Acknowledging twice changes nothing. Undefined when the issue is not in the scope (I10).
 */
export async function acknowledgeSequenceIssue(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  input: { issueId: string; reason: string; now: string },
): Promise<SequenceIssueRow | undefined> {
  return runInTransaction(db, async (trx) => {
    const row = await issuesQuery(trx, scope).where('sequence_issues.id', '=', input.issueId).executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.acknowledged_at !== null) return toIssueRow(row);
    const by = `${scope.manager.name} <${scope.manager.email}>`;
    await trx
      .updateTable('sequence_issues')
      .set({ acknowledged_at: input.now, acknowledged_by: by, acknowledge_reason: input.reason })
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('id', '=', input.issueId)
      .execute();
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'sequence_issue.acknowledge',
      targetType: 'sequence_issue',
      targetId: input.issueId,
      reason: input.reason,
      detail: {
        kind: row.kind,
        deviceNo: row.device_no,
        fromSeq: row.from_seq,
        toSeq: row.to_seq,
        saleId: row.sale_id,
      },
      at: input.now,
    });
    return toIssueRow({ ...row, acknowledged_at: input.now, acknowledged_by: by, acknowledge_reason: input.reason });
  });
}
