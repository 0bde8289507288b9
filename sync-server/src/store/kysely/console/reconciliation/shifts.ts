import type { ShiftRow } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ShiftQuery } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables } from '../../../tables.ts';
import { isWithin, tillTimeWindow } from './till-time.ts';

/**
 * Shifts as a manager reconciles them (SHIFT-3), the one place a ShiftRow is computed: the
 * drawers page and the day report both read it. Expected cash = opening float + the cash
 * tenders of the shift's sales the server has received + cash movements; over/short = counted
 * − expected. The till's own figures sit beside it, so a shift whose sales have not all arrived
 * shows `missingSales` rather than only a false shortage.
 *
 * A shift's time is when it opened by the till's clock (or, if its close arrived first, when it
 * closed; or, with only cash movements so far, when the server last heard of it).
 */
export async function shiftRows(db: Kysely<LedgerTables>, scope: ConsoleScope, query: ShiftQuery): Promise<ShiftRow[]> {
  const window = tillTimeWindow(query.range);
  const rows = await db
    .selectFrom('shifts')
    .innerJoin('devices', (join) =>
      join.onRef('devices.tenant_id', '=', 'shifts.tenant_id').onRef('devices.id', '=', 'shifts.device_id'),
    )
    .select([
      'shifts.id',
      'shifts.device_id',
      'devices.device_no',
      'devices.name as device_name',
      'shifts.cashier',
      'shifts.opened_at',
      'shifts.closed_at',
      'shifts.updated_at',
      'shifts.opening_float',
      'shifts.cash_movements',
      'shifts.counted_cash',
      'shifts.close_reason',
      'shifts.till_expected_cash',
      'shifts.till_sale_count',
    ])
    .where('shifts.tenant_id', '=', scope.tenantId)
    .where('shifts.store_id', '=', scope.storeId)
    .where((eb) => {
      const at = eb.fn.coalesce('shifts.opened_at', 'shifts.closed_at', 'shifts.updated_at');
      const inWindow = eb.and([eb(at, '>=', window.from), eb(at, '<', window.to)]);
      return query.includeOpen ? eb.or([inWindow, eb('shifts.closed_at', 'is', null)]) : inWindow;
    })
    .execute();
  const chosen = rows.filter(
    (row) =>
      (query.includeOpen && row.closed_at === null) ||
      isWithin(row.opened_at ?? row.closed_at ?? row.updated_at, query.range),
  );
  if (chosen.length === 0) return [];

  const received = await db
    .selectFrom('sales')
    .select((eb) => [
      'shift_id',
      eb.fn.countAll<number>().as('sale_count'),
      eb.fn.sum<number>('cash_total').as('cash_sales'),
    ])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .where(
      'shift_id',
      'in',
      chosen.map((row) => row.id),
    )
    .groupBy('shift_id')
    .execute();
  const receivedByShift = new Map(received.map((row) => [row.shift_id, row]));

  return chosen
    .map((row): ShiftRow => {
      const sales = receivedByShift.get(row.id);
      const serverSaleCount = Number(sales?.sale_count ?? 0);
      const cashSales = Number(sales?.cash_sales ?? 0);
      const openingFloat = Number(row.opening_float);
      const cashMovements = Number(row.cash_movements);
      const expectedCash = openingFloat + cashSales + cashMovements;
      const closed = row.closed_at !== null;
      const countedCash = row.counted_cash === null ? null : Number(row.counted_cash);
      const tillSaleCount = row.till_sale_count === null ? null : Number(row.till_sale_count);
      return {
        shiftId: row.id,
        deviceId: row.device_id,
        deviceNo: row.device_no,
        deviceName: row.device_name,
        cashier: row.cashier,
        status: closed ? 'closed' : 'open',
        openedAt: row.opened_at,
        closedAt: row.closed_at,
        openingFloat,
        cashSales,
        cashMovements,
        expectedCash,
        countedCash,
        overShort: closed && countedCash !== null ? countedCash - expectedCash : null,
        reason: row.close_reason === null || row.close_reason.trim() === '' ? null : row.close_reason,
        tillExpectedCash: row.till_expected_cash === null ? null : Number(row.till_expected_cash),
        tillSaleCount,
        serverSaleCount,
        missingSales: tillSaleCount === null ? 0 : Math.max(0, tillSaleCount - serverSaleCount),
      };
    })
    .sort((a, b) => shiftTime(b).localeCompare(shiftTime(a)) || a.deviceNo - b.deviceNo);
}

/** Newest first by when the shift opened (as an instant, whatever the till's offset). */
function shiftTime(row: ShiftRow): string {
  const at = row.openedAt ?? row.closedAt;
  return at === null ? '' : new Date(at).toISOString();
}
