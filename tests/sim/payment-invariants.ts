import type { FlagCode, Sale } from '@till/shared';
import type { CardPaymentRecord } from '../../pwa/src/db/index.ts';
import type { LedgerSnapshot } from '../../scripts/gateway-simulator/control.ts';
import { type Add, ARITHMETIC_FLAGS, type Evidence, type SqlPayment, salesOf, TERMINAL } from './evidence.ts';

/** The end-of-run checks on card payments (I4, I5) and on totals (I7); see `invariants.ts`. */

/**
 * I4: at most one charge per payment id, made under its own id as the key, for the payment the
 * till took; exactly the captured set in SQL; and no sale paid by a charge it does not carry.
 */
export function checkCharges({ sql, gateway, tills }: Evidence, add: Add): void {
  for (const [key, count] of Object.entries(gateway.counts.byIdempotencyKey)) {
    if (count > 1) add('I4', `idempotency key ${key} created ${count} PaymentIntents`);
  }
  for (const [id, count] of Object.entries(gateway.counts.succeededByTillPaymentId)) {
    if (count > 1) add('I4', `payment ${id} was charged ${count} times`);
  }
  const journals = new Map<string, CardPaymentRecord>();
  for (const till of tills) for (const row of [...till.lostPayments, ...till.cardPayments]) journals.set(row.id, row);
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const succeeded = new Map<string, LedgerSnapshot['charges'][number]>();
  const declinedAtGateway = new Set<string>();
  for (const charge of gateway.charges) {
    const id = charge.tillPaymentId;
    if (id === null || charge.idempotencyKey !== id) {
      add('I4', `charge ${charge.id} was made under key ${charge.idempotencyKey}, not its payment id ${id}`);
      continue;
    }
    const row = journals.get(id);
    if (!row) add('I4', `charge ${charge.id} is for payment ${id}, which no till made`);
    else if (row.amount !== charge.amount || row.gatewayToken !== charge.paymentMethod) {
      add('I4', `charge ${charge.id} for payment ${id} is not the payment the till took (amount or card)`);
    }
    if (charge.status === 'succeeded') succeeded.set(id, charge);
    else declinedAtGateway.add(id);
  }
  for (const [id, charge] of succeeded) {
    const payment = paymentById.get(id);
    if (!payment) add('I4', `payment ${id} was charged (${charge.id}) but SQL has no row for it`);
    else if (payment.state === 'unknown' || payment.state === 'pending') {
      add('LIVE', `payment ${id} was charged but SQL still says ${payment.state}`);
    } else if (payment.state !== 'captured') {
      add('I4', `payment ${id} was charged (${charge.id}) but SQL says ${payment.state}`);
    } else if (payment.gateway_ref !== charge.id) {
      add('I4', `payment ${id} is captured as ${payment.gateway_ref}, the charge is ${charge.id}`);
    }
  }
  // A charge for a payment that its own sale does not carry: the customer paid that sale twice
  // (another id was made for the same payment — what I4 forbids — or a tender was lost).
  const cardsOfSale = new Map<string, Set<string>>();
  const tenderSale = new Map<string, string>();
  for (const till of tills) {
    for (const { sale } of salesOf(till)) {
      const cards = sale.tenders.filter((tender) => tender.kind === 'card').map((tender) => tender.id);
      cardsOfSale.set(sale.id, new Set(cards));
      for (const id of cards) {
        const other = tenderSale.get(id);
        if (other !== undefined && other !== sale.id)
          add('I4', `payment id ${id} is a tender of two sales (${other}, ${sale.id})`);
        tenderSale.set(id, sale.id);
      }
    }
  }
  for (const [id] of succeeded) {
    const saleId = paymentById.get(id)?.sale_id ?? journals.get(id)?.saleId;
    const carried = saleId === undefined || saleId === null ? undefined : cardsOfSale.get(saleId);
    if (carried !== undefined && !carried.has(id)) {
      add('I4', `payment ${id} was charged for sale ${saleId}, which was recorded without it (paid twice)`);
    }
  }
  for (const payment of sql.payments) {
    if (payment.state === 'captured' && !succeeded.has(payment.id)) {
      add('I4', `payment ${payment.id} is captured in SQL but the gateway holds no charge for it`);
    }
    if (payment.state === 'declined' && !declinedAtGateway.has(payment.id)) {
      add('I5', `payment ${payment.id} is declined in SQL but the gateway never declined it`);
    }
  }
}

/**
 * I5: every card tender of a sale the server holds ends in one terminal state in SQL, linked to
 * its sale, and the till's journal shows that state; payments no stored sale carries are either
 * settled or visibly waiting (pending until their expiry, on the till's list of unrecorded
 * payments), and a charge among them is shown on the till as a charge.
 */
export function checkPaymentStates({ sql, tills }: Evidence, add: Add): void {
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const sqlSaleIds = new Set(sql.sales.map((row) => row.id));
  const tenderIds = new Set<string>();
  for (const till of tills) {
    const journal = new Map(till.cardPayments.map((row) => [row.id, row]));
    for (const { sale, lost } of salesOf(till)) {
      // A restored-away sale that never reached the server confirmed nothing: its cards are
      // checked below, with the payments no sale carries.
      if (lost && !sqlSaleIds.has(sale.id)) continue;
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        tenderIds.add(tender.id);
        const payment = paymentById.get(tender.id);
        const where = `till ${till.index} seq ${sale.deviceSeq} card ${tender.id}`;
        if (!payment) {
          add(sqlSaleIds.has(sale.id) ? 'I5' : 'LIVE', `${where}: no payment row in SQL`);
          continue;
        }
        if (payment.sale_id !== sale.id || payment.sale_received_at === null || payment.amount !== tender.amount) {
          add('I5', `${where}: the payment row is not linked to its sale (${payment.sale_id}, ${payment.amount})`);
        }
        if (payment.state === 'quarantined') add('I5', `${where}: quarantined: ${payment.quarantine_reason}`);
        else if (!TERMINAL.has(payment.state))
          add('LIVE', `${where}: still ${payment.state} (${payment.last_error ?? ''})`);
        if (tender.entry === 'live' && payment.state !== 'captured') {
          add('I5', `${where}: a live-captured tender is ${payment.state} in SQL`);
        }
        const row = journal.get(tender.id);
        if (!lost && row && row.state !== payment.state && TERMINAL.has(payment.state)) {
          add('I5', `${where}: the till shows ${row.state}, the server says ${payment.state}`);
        }
      }
    }
  }
  for (const payment of sql.payments) {
    if (tenderIds.has(payment.id)) continue;
    const owner = tills.find((till) => till.device.deviceId === payment.device_id);
    const row = owner?.cardPayments.find((candidate) => candidate.id === payment.id);
    const lost = owner?.lostPayments.some((candidate) => candidate.id === payment.id) ?? false;
    const where = `payment ${payment.id} (no stored sale carries it)`;
    if (payment.sale_received_at !== null)
      add('I5', `${where}: SQL links it to sale ${payment.sale_id}, which no till holds`);
    if (payment.state === 'unknown') add('LIVE', `${where}: still unknown`);
    if (payment.state === 'quarantined') add('I5', `${where}: quarantined: ${payment.quarantine_reason}`);
    if (!row) {
      if (!lost) add('I5', `${where}: the till that made it has no journal row for it`);
      continue;
    }
    if (payment.state === 'captured' && row.state !== 'captured') {
      add('I5', `${where}: charged at the gateway, but the till shows it ${row.state}`);
    }
  }
}

/**
 * I7: per device and store day, what the till sold (including sales a restore took off it after
 * they reached the server) equals what the server holds, count and total; and card tendered =
 * captured + declined + pending + expired + written off, every card tender matched to its payment.
 */
export function checkTotals({ sql, tills, timezone }: Evidence, add: Add): void {
  const dayOf = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const paymentById = new Map(sql.payments.map((payment) => [payment.id, payment]));
  const sqlSaleIds = new Set(sql.sales.map((row) => row.id));
  for (const till of tills) {
    const deviceId = till.device.deviceId;
    const tillDays = new Map<string, { count: number; total: number }>();
    for (const { sale, lost } of salesOf(till)) {
      if (lost && !sqlSaleIds.has(sale.id)) continue;
      const day = dayOf.format(new Date(sale.createdAt));
      const entry = tillDays.get(day) ?? { count: 0, total: 0 };
      entry.count += 1;
      entry.total += sale.totals.total;
      tillDays.set(day, entry);
    }
    const sqlDays = new Map<string, { count: number; total: number; card: number; settled: number }>();
    for (const row of sql.sales) {
      if (row.device_id !== deviceId) continue;
      const day = dayOf.format(new Date(row.created_at));
      const entry = sqlDays.get(day) ?? { count: 0, total: 0, card: 0, settled: 0 };
      entry.count += 1;
      entry.total += Number(row.total);
      const sale = JSON.parse(row.payload) as Sale;
      for (const tender of sale.tenders) {
        if (tender.kind !== 'card') continue;
        entry.card += tender.amount;
        const payment = paymentById.get(tender.id);
        if (
          payment?.sale_id === sale.id &&
          Number(payment.amount) === tender.amount &&
          payment.sale_received_at !== null
        ) {
          entry.settled += tender.amount; // in exactly one of captured/declined/pending/expired/written off
        }
      }
      const flags = JSON.parse(row.flags) as FlagCode[];
      for (const flag of flags) {
        if (ARITHMETIC_FLAGS.includes(flag)) add('I7', `till ${till.index} seq ${row.device_seq}: flagged ${flag}`);
      }
      if (flags.includes('payment_unverified') && !unverifiedExplained(sale, paymentById)) {
        add('I5', `till ${till.index} seq ${row.device_seq}: flagged payment_unverified with no contradicting payment`);
      }
      sqlDays.set(day, entry);
    }
    for (const day of new Set([...tillDays.keys(), ...sqlDays.keys()])) {
      const mine = tillDays.get(day) ?? { count: 0, total: 0 };
      const theirs = sqlDays.get(day) ?? { count: 0, total: 0, card: 0, settled: 0 };
      if (mine.count !== theirs.count || mine.total !== theirs.total) {
        add(
          'I7',
          `till ${till.index} ${day}: till ${mine.count} sales / ${mine.total}, server ${theirs.count} / ${theirs.total}`,
        );
      }
      if (theirs.card !== theirs.settled) {
        add(
          'I7',
          `till ${till.index} ${day}: card tendered ${theirs.card} but only ${theirs.settled} matched to payments`,
        );
      }
    }
  }
}

/** `payment_unverified` is right when a card tender contradicts its payment (declined/expired live attempt, not captured live). */
function unverifiedExplained(sale: Sale, paymentById: Map<string, SqlPayment>): boolean {
  return sale.tenders.some((tender) => {
    if (tender.kind !== 'card') return false;
    const payment = paymentById.get(tender.id);
    if (!payment || payment.sale_id !== sale.id) return true;
    if (tender.entry === 'live') return payment.state !== 'captured' || tender.gatewayRef !== payment.gateway_ref;
    return ['declined', 'expired', 'written_off'].includes(payment.state);
  });
}
