import { uuidv7 } from '@till/shared';
import type { Kysely } from 'kysely';
import type { AuditActor, AuditEntry } from '../../console/types.ts';
import type { LedgerTables } from '../../tables.ts';

/**
 * Writes one audit row (MGR-8). Call it with the transaction that makes the change, so an
 * action is never recorded without its effect, nor done without its record.
 */
export async function insertAudit(trx: Kysely<LedgerTables>, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      id: uuidv7(),
      tenant_id: actor.tenantId,
      store_id: entry.storeId,
      manager_id: actor.managerId,
      manager_email: actor.email,
      manager_name: actor.name,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      detail: JSON.stringify(entry.detail),
      at: entry.at,
    })
    .execute();
}
