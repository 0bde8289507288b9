import { type Amount, type CardOutcomes, type DeviceDayTotals, PAYMENT_STATES, storeHourOf } from '@till/shared';
import type { DayCardPayment, DaySale } from './day-ledger.ts';
import type { StoreDevice } from './store-devices.ts';

/** The day's sales in figures: what Today and the day report have in common. */
export interface DayFigures {
  sales: { count: number; total: number; tax: number; discount: number; flagged: number };
  tenders: { cash: Amount; card: Amount };
  cardOutcomes: CardOutcomes;
}

export function dayFigures(sales: readonly DaySale[], cardPayments: readonly DayCardPayment[]): DayFigures {
  const figures: DayFigures = {
    sales: { count: 0, total: 0, tax: 0, discount: 0, flagged: 0 },
    tenders: { cash: { count: 0, amount: 0 }, card: { count: 0, amount: 0 } },
    cardOutcomes: cardOutcomes(cardPayments),
  };
  for (const sale of sales) {
    figures.sales.count += 1;
    figures.sales.total += sale.total;
    figures.sales.tax += sale.tax;
    figures.sales.discount += sale.discount;
    if (sale.flagged) figures.sales.flagged += 1;
    addTender(figures.tenders.cash, sale.cash);
    addTender(figures.tenders.card, sale.card);
  }
  return figures;
}

function addTender(tender: Amount, amount: number): void {
  if (amount === 0) return;
  tender.count += 1;
  tender.amount += amount;
}

/** Card payments by state, every state present (zeros too) so the parts are visible (I7). */
export function cardOutcomes(cardPayments: readonly DayCardPayment[]): CardOutcomes {
  const outcomes: CardOutcomes = Object.fromEntries(PAYMENT_STATES.map((state) => [state, { count: 0, amount: 0 }]));
  for (const payment of cardPayments) {
    const outcome = outcomes[payment.state];
    if (outcome === undefined) continue;
    outcome.count += 1;
    outcome.amount += payment.amount;
  }
  return outcomes;
}

export function sumOutcomes(outcomes: CardOutcomes): Amount {
  return Object.values(outcomes).reduce(
    (sum, part) => ({ count: sum.count + part.count, amount: sum.amount + part.amount }),
    {
      count: 0,
      amount: 0,
    },
  );
}

/** Totals per device that sold that day, by device number. */
export function devicesDayTotals(sales: readonly DaySale[], devices: readonly StoreDevice[]): DeviceDayTotals[] {
  const byDevice = new Map<string, DeviceDayTotals>();
  for (const sale of sales) {
    let totals = byDevice.get(sale.deviceId);
    if (totals === undefined) {
      const device = devices.find((candidate) => candidate.id === sale.deviceId);
      totals = {
        deviceId: sale.deviceId,
        deviceNo: device?.deviceNo ?? 0,
        name: device?.name ?? '',
        count: 0,
        total: 0,
        cash: 0,
        card: 0,
      };
      byDevice.set(sale.deviceId, totals);
    }
    totals.count += 1;
    totals.total += sale.total;
    totals.cash += sale.cash;
    totals.card += sale.card;
  }
  return [...byDevice.values()].sort((a, b) => a.deviceNo - b.deviceNo);
}

/** 24 entries, one per store-time hour (on a DST change one hour is empty or holds two). */
export function salesPerHour(
  sales: readonly DaySale[],
  timeZone: string,
): { hour: number; count: number; total: number }[] {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, total: 0 }));
  for (const sale of sales) {
    const slot = hours[storeHourOf(new Date(sale.createdAt), timeZone)];
    if (slot === undefined) continue;
    slot.count += 1;
    slot.total += sale.total;
  }
  return hours;
}
