import type { AuditResponse, AuditRow } from '@till/shared';
import type { Kysely } from 'kysely';
import { type AuditLogQuery, encodeAuditCursor } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';

/**
 * The audit log a manager of this store may read: rows of their tenant about this store, and
 * the tenant-wide ones (sign-ins, accounts: `store_id` null) — never another tenant's (I10).
 * Newest first, keyset-paged on (at, id), so a page is stable while new rows arrive.
 */
export async function auditLog(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  query: AuditLogQuery,
): Promise<AuditResponse> {
  let select = db
    .selectFrom('audit_log')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where((eb) => eb.or([eb('store_id', '=', scope.storeId), eb('store_id', 'is', null)]));
  if (query.range.from !== undefined) select = select.where('at', '>=', query.range.from);
  if (query.range.to !== undefined) select = select.where('at', '<', query.range.to);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  const before = query.before;
  if (before !== undefined) {
    select = select.where((eb) =>
      eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
    );
  }
  const rows = await select
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1) // TOP (limit + 1) on Azure SQL (mssql/plugins.ts)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(
      (row): AuditRow => ({
        id: row.id,
        at: row.at,
        managerId: row.manager_id,
        managerEmail: row.manager_email,
        managerName: row.manager_name,
        storeId: row.store_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        reason: row.reason,
        detail: parseDetail(row.detail),
      }),
    ),
    nextBefore:
      rows.length > query.limit && last !== undefined ? encodeAuditCursor({ at: last.at, id: last.id }) : null,
  };
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const detail: unknown = JSON.parse(text);
    return typeof detail === 'object' && detail !== null && !Array.isArray(detail)
      ? (detail as Record<string, unknown>)
      : { value: detail };
  } catch {
    return { text };
  }
}
