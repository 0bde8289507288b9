import type { ManagerDevice } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleScope } from '../../../console/types.ts';
import { actorOf } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { runInTransaction } from '../../ledger-dialect.ts';
import { insertAudit } from '../audit.ts';
import { toManagerDevice } from './rows.ts';

/** The store's devices with their open sequence issues, by device number. */
function devicesQuery(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('devices')
    .selectAll('devices')
    .select((eb) =>
      eb
        .selectFrom('sequence_issues')
        .select(eb.fn.countAll<number>().as('n'))
        .where('sequence_issues.tenant_id', '=', scope.tenantId)
        .whereRef('sequence_issues.device_id', '=', 'devices.id')
        .where('sequence_issues.resolved_at', 'is', null)
        .where('sequence_issues.acknowledged_at', 'is', null)
        .as('open_issues'),
    )
    .where('devices.tenant_id', '=', scope.tenantId)
    .where('devices.store_id', '=', scope.storeId);
}

export async function consoleDevices(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  silentSince: string,
): Promise<ManagerDevice[]> {
  const rows = await devicesQuery(db, scope).orderBy('devices.device_no').execute();
  return rows.map((row) => toManagerDevice({ ...row, open_issues: row.open_issues ?? 0 }, silentSince));
}

export async function createConsoleEnrollmentCode(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  code: { codeHash: string; expiresAt: string; now: string },
): Promise<void> {
  await runInTransaction(db, async (trx) => {
    await trx
      .insertInto('enrollment_codes')
      .values({
        code_hash: code.codeHash,
        tenant_id: scope.tenantId,
        store_id: scope.storeId,
        created_at: code.now,
        expires_at: code.expiresAt,
        used_at: null,
        used_by_device_id: null,
      })
      .execute();
    // The code itself is a credential: the audit row records only that one was made, and until when.
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'device.enrollment_code',
      targetType: 'store',
      targetId: scope.storeId,
      reason: null,
      detail: { expiresAt: code.expiresAt },
      at: code.now,
    });
  });
}

/**
 * Revokes the device: its token stops working at once (403 device_revoked). A device already
 * revoked is left as it is and nothing is audited: nothing changed.
 */
export async function revokeConsoleDevice(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  input: { deviceId: string; reason: string; now: string; silentSince: string },
): Promise<ManagerDevice | undefined> {
  return runInTransaction(db, async (trx) => {
    const device = await devicesQuery(trx, scope).where('devices.id', '=', input.deviceId).executeTakeFirst();
    if (device === undefined) return undefined;
    const row = { ...device, open_issues: device.open_issues ?? 0 };
    if (device.status === 'revoked') return toManagerDevice(row, input.silentSince);
    await trx
      .updateTable('devices')
      .set({ status: 'revoked', revoked_at: input.now })
      .where('tenant_id', '=', scope.tenantId)
      .where('store_id', '=', scope.storeId)
      .where('id', '=', input.deviceId)
      .execute();
    await insertAudit(trx, actorOf(scope.manager), {
      storeId: scope.storeId,
      action: 'device.revoke',
      targetType: 'device',
      targetId: input.deviceId,
      reason: input.reason,
      detail: { deviceNo: device.device_no, name: device.name, lastSeenAt: device.last_seen_at },
      at: input.now,
    });
    return toManagerDevice({ ...row, status: 'revoked', revoked_at: input.now }, input.silentSince);
  });
}
