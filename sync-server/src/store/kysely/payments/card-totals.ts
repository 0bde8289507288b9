import type { Sale } from '@till/shared';
import type { Kysely } from 'kysely';
import type { CardTotals } from '../../payment-store.ts';
import type { LedgerTables } from '../../tables.ts';

/**
 * I7 for cards, per device and store-local day: the card tenders of the stored sales against
 * the payments that carry them, by state. Every card tender must sit in exactly one payment
 * linked to its sale; one that does not (a flagged `payment_unverified` contradiction) is counted
 * as `unmatched` and the day is not balanced. Reads every sale of the store: an admin report.
 */
export async function cardTotals(db: Kysely<LedgerTables>, storeId: string): Promise<CardTotals[]> {
  const store = await db.selectFrom('stores').select(['timezone']).where('id', '=', storeId).executeTakeFirst();
  if (store === undefined) return [];
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone: store.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const sales = await db
    .selectFrom('sales')
    .select(['id', 'device_id', 'created_at', 'payload'])
    .where('store_id', '=', storeId)
    .execute();
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'sale_id', 'amount', 'state'])
    .where('store_id', '=', storeId)
    .where('sale_received_at', 'is not', null)
    .execute();
  const paymentById = new Map(payments.map((payment) => [payment.id, payment]));

  const totals = new Map<string, CardTotals>();
  for (const row of sales) {
    const sale = JSON.parse(row.payload) as Sale;
    const day = dayOf.format(new Date(row.created_at));
    const key = `${row.device_id} ${day}`;
    let entry = totals.get(key);
    for (const tender of sale.tenders) {
      if (tender.kind !== 'card') continue;
      entry ??= {
        deviceId: row.device_id,
        day,
        cardTendered: 0,
        captured: 0,
        declined: 0,
        pending: 0,
        expired: 0,
        writtenOff: 0,
        unmatched: 0,
        balanced: true,
      };
      entry.cardTendered += tender.amount;
      const payment = paymentById.get(tender.id);
      if (payment === undefined || payment.sale_id !== sale.id || Number(payment.amount) !== tender.amount) {
        entry.unmatched += tender.amount;
        entry.balanced = false;
        continue;
      }
      switch (payment.state) {
        case 'captured':
          entry.captured += tender.amount;
          break;
        case 'declined':
          entry.declined += tender.amount;
          break;
        case 'expired':
          entry.expired += tender.amount;
          break;
        case 'written_off':
          entry.writtenOff += tender.amount;
          break;
        default: // pending, unknown, quarantined: not settled yet
          entry.pending += tender.amount;
      }
    }
    if (entry !== undefined) totals.set(key, entry);
  }
  return [...totals.values()].sort((a, b) => a.day.localeCompare(b.day) || a.deviceId.localeCompare(b.deviceId));
}
