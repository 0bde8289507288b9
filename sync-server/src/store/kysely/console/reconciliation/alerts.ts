import { ALERT_KINDS, type Alert, type AlertKind, type ShiftRow } from '@till/shared';
import type { Kysely } from 'kysely';
import type { ConsoleDay } from '../../../console/reconciliation-store.ts';
import type { ConsoleScope } from '../../../console/types.ts';
import type { LedgerTables, SequenceIssueKind } from '../../../tables.ts';
import type { DaySale } from './day-ledger.ts';
import type { StoreDevice } from './store-devices.ts';
import { counted, duration, listed, moneyOf } from './wording.ts';

/**
 * A live capture is followed by its sale within seconds when the till is online; only a charge
 * still without its sale after this long is raised (the till went offline, or lost the sale).
 */
const SALE_ARRIVAL_GRACE_MINUTES = 10;

const SEVERITY: Record<AlertKind, Alert['severity']> = {
  expiring_payment: 'critical',
  unknown_payment: 'critical',
  quarantined_payment: 'critical',
  declined_after_forwarding: 'critical',
  sequence_issue: 'critical',
  flagged_sale: 'warning',
  silent_device: 'warning',
  storage_not_persisted: 'warning',
  drawer_over_short: 'warning',
};

const PAGE: Record<AlertKind, Alert['page']> = {
  expiring_payment: 'payments',
  unknown_payment: 'payments',
  quarantined_payment: 'payments',
  declined_after_forwarding: 'payments',
  sequence_issue: 'devices',
  flagged_sale: 'sales',
  silent_device: 'devices',
  storage_not_persisted: 'devices',
  drawer_over_short: 'drawers',
};

/** What the day's sales, the store's devices and the day's drawers tell, for the alerts. */
export interface AlertContext {
  sales: readonly DaySale[];
  devices: readonly StoreDevice[];
  drawers: readonly ShiftRow[];
}

/**
 * What a manager should act on now (only kinds with something to act on), critical first. The
 * payment and sequence alerts cover the whole store, whatever day is shown: an open problem
 * does not go away because the day it happened has passed.
 */
export async function dayAlerts(
  db: Kysely<LedgerTables>,
  scope: ConsoleScope,
  day: ConsoleDay,
  context: AlertContext,
): Promise<Alert[]> {
  const money = moneyOf(scope);
  const alerts: Alert[] = [];
  const raise = (kind: AlertKind, count: number, amount: number | null, message: string) => {
    if (count > 0) alerts.push({ kind, severity: SEVERITY[kind], count, amount, message, page: PAGE[kind] });
  };

  const payments = await paymentsToRaise(db, scope, day);
  const expiring = sum(payments.expiring);
  raise(
    'expiring_payment',
    expiring.count,
    expiring.amount,
    `${counted(expiring.count, 'stored card payment')} ${expiring.count === 1 ? 'expires' : 'expire'} within ${duration(day.expiryWarningMinutes)} — ${money(expiring.amount)}`,
  );
  const unknown = sum(payments.unknown);
  const chargedWithoutSale = sum(payments.chargedWithoutSale);
  raise(
    'unknown_payment',
    unknown.count + chargedWithoutSale.count,
    unknown.amount + chargedWithoutSale.amount,
    [
      unknown.count > 0 &&
        `${counted(unknown.count, 'card payment')} with an unknown outcome at the gateway — ${money(unknown.amount)}`,
      chargedWithoutSale.count > 0 &&
        `${counted(chargedWithoutSale.count, 'card')} charged whose sale has not arrived — ${money(chargedWithoutSale.amount)}`,
    ]
      .filter(Boolean)
      .join('; '),
  );
  const quarantined = sum(payments.quarantined);
  raise(
    'quarantined_payment',
    quarantined.count,
    quarantined.amount,
    `${counted(quarantined.count, 'card payment')} set aside (quarantined) and waiting for a manager — ${money(quarantined.amount)}`,
  );
  const declined = sum(payments.declinedOpen);
  raise(
    'declined_after_forwarding',
    declined.count,
    declined.amount,
    `${counted(declined.count, 'stored card payment')} declined when forwarded, not yet followed up — ${money(declined.amount)}`,
  );

  const issues = await openSequenceIssues(db, scope);
  const issueDevices = [...new Set(issues.map((issue) => issue.device_id))].map(
    (id) => context.devices.find((device) => device.id === id)?.name ?? 'a till',
  );
  raise(
    'sequence_issue',
    issues.length,
    null,
    `${counted(issues.length, 'open sequence problem')} on ${listed(issueDevices)}: ${issueKinds(issues.map((issue) => issue.kind))}`,
  );

  const flagged = context.sales.filter((sale) => sale.flagged);
  const flaggedTotal = flagged.reduce((total, sale) => total + sale.total, 0);
  raise(
    'flagged_sale',
    flagged.length,
    flaggedTotal,
    `${counted(flagged.length, 'sale')} of the day flagged for a look — ${money(flaggedTotal)}`,
  );

  const silentSince = new Date(Date.parse(day.now) - day.silentDeviceMinutes * 60_000).toISOString();
  const active = context.devices.filter((device) => device.status === 'active');
  // A till enrolled a minute ago that has not synced yet is new, not silent.
  const silent = active.filter((device) => (device.lastSeenAt ?? device.enrolledAt) < silentSince);
  raise(
    'silent_device',
    silent.length,
    null,
    `${counted(silent.length, 'till')} not heard from for over ${duration(day.silentDeviceMinutes)}: ${listed(silent.map((device) => device.name))}`,
  );
  const unpersisted = active.filter((device) => device.storagePersisted === false);
  raise(
    'storage_not_persisted',
    unpersisted.length,
    null,
    `${counted(unpersisted.length, 'till')} without persistent storage (the browser may clear unsent sales): ${listed(unpersisted.map((device) => device.name))}`,
  );

  const offDrawers = context.drawers.filter((shift) => shift.overShort !== null && shift.overShort !== 0);
  const offBy = offDrawers.reduce((total, shift) => total + Math.abs(shift.overShort ?? 0), 0);
  const waiting = offDrawers.filter((shift) => shift.missingSales > 0).length;
  raise(
    'drawer_over_short',
    offDrawers.length,
    offBy,
    `${counted(offDrawers.length, 'closed drawer')} over or short, off by ${money(offBy)} in all` +
      (waiting > 0 ? `; ${waiting} still ${waiting === 1 ? 'waits' : 'wait'} for sales from the till` : ''),
  );

  return alerts.sort(
    (a, b) =>
      Number(a.severity !== 'critical') - Number(b.severity !== 'critical') ||
      ALERT_KINDS.indexOf(a.kind) - ALERT_KINDS.indexOf(b.kind),
  );
}

interface Raised {
  amount: number;
}

function sum(payments: readonly Raised[]): { count: number; amount: number } {
  return { count: payments.length, amount: payments.reduce((total, payment) => total + payment.amount, 0) };
}

/** The store's card payments that need a manager, whatever day they belong to. */
async function paymentsToRaise(db: Kysely<LedgerTables>, scope: ConsoleScope, day: ConsoleDay) {
  const now = Date.parse(day.now);
  const expiresBefore = new Date(now + day.expiryWarningMinutes * 60_000).toISOString();
  const chargedBefore = new Date(now - SALE_ARRIVAL_GRACE_MINUTES * 60_000).toISOString();
  const rows = await db
    .selectFrom('payments')
    .select(['state', 'entry', 'amount', 'sale_received_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'pending'), eb('entry', '=', 'stored'), eb('expires_at', '<=', expiresBefore)]),
        eb('state', 'in', ['unknown', 'quarantined']),
        eb.and([eb('state', '=', 'declined'), eb('entry', '=', 'stored'), eb('follow_up', 'is', null)]),
        eb.and([
          eb('state', '=', 'captured'),
          eb('sale_received_at', 'is', null),
          eb('created_at', '<=', chargedBefore),
        ]),
      ]),
    )
    .execute();
  const of = (test: (row: (typeof rows)[number]) => boolean) =>
    rows.filter(test).map((row) => ({ amount: Number(row.amount) }));
  return {
    expiring: of((row) => row.state === 'pending'),
    unknown: of((row) => row.state === 'unknown'),
    quarantined: of((row) => row.state === 'quarantined'),
    declinedOpen: of((row) => row.state === 'declined'),
    chargedWithoutSale: of((row) => row.state === 'captured'),
  };
}

async function openSequenceIssues(db: Kysely<LedgerTables>, scope: ConsoleScope) {
  return db
    .selectFrom('sequence_issues')
    .select(['device_id', 'kind'])
    .where('tenant_id', '=', scope.tenantId)
    .where('store_id', '=', scope.storeId)
    .where('resolved_at', 'is', null)
    .where('acknowledged_at', 'is', null)
    .execute();
}

const ISSUE_WORDS: Record<SequenceIssueKind, [string, string]> = {
  gap: ['gap in the sale numbers (sales not received)', 'gaps in the sale numbers (sales not received)'],
  break: ['broken hash chain', 'broken hash chains'],
  reuse: ['sale number used twice', 'sale numbers used twice'],
  invalid: ['sale whose hash does not check', 'sales whose hashes do not check'],
};

/** "1 gap in the sale numbers (sales not received), 1 broken hash chain". */
function issueKinds(kinds: readonly SequenceIssueKind[]): string {
  const order: SequenceIssueKind[] = ['gap', 'break', 'reuse', 'invalid'];
  return order
    .map((kind) => {
      const n = kinds.filter((k) => k === kind).length;
      return n === 0 ? '' : `${n} ${ISSUE_WORDS[kind][n === 1 ? 0 : 1]}`;
    })
    .filter(Boolean)
    .join(', ');
}
