import type { Amount, DayReport, ReconciliationCheck } from '@till/shared';
import { sumOutcomes } from './day-figures.ts';
import { counted, listed } from './wording.ts';

/** The report's figures the checks read (everything but the checks themselves). */
export type ReportFigures = Omit<DayReport, 'checks' | 'balances'>;

const OPEN_STATES = ['pending', 'unknown', 'quarantined'] as const;

/**
 * The end-of-day checks (MGR-11), each with a stable id, a label and its figures in words.
 * The day balances when every one is ok. Pure: the figures come from one place, the ledger.
 */
export function reconciliationChecks(report: ReportFigures, money: (amount: number) => string): ReconciliationCheck[] {
  return [
    cardTotalSplits(report, money),
    allSalesIn(report),
    noSequenceIssues(report),
    capturesFinal(report, money),
    declinesFollowedUp(report, money),
    drawersBalance(report, money),
    gatewayReferences(report),
  ];
}

function cardTotalSplits(report: ReportFigures, money: (amount: number) => string): ReconciliationCheck {
  const card = report.tenders.card.amount;
  const parts = sumOutcomes(report.cardOutcomes);
  const named = Object.entries(report.cardOutcomes)
    .filter(([, part]) => part.count > 0)
    .map(([state, part]) => `${state.replace('_', ' ')} ${money(part.amount)}`);
  const ok = parts.amount === card;
  return {
    id: 'card_total_splits',
    label: 'Card total splits into payment outcomes',
    ok,
    detail: ok
      ? `Card tenders ${money(card)} = ${named.length > 0 ? named.join(' + ') : 'no card payments'}`
      : `Card tenders ${money(card)}, but their payments add up to ${money(parts.amount)}: ${money(card - parts.amount)} has no payment record`,
  };
}

function allSalesIn(report: ReportFigures): ReconciliationCheck {
  const missing = report.devices.filter((device) => device.missingSeqs > 0);
  const unsent = report.devices.filter((device) => (device.unsentReported ?? 0) > 0);
  const missingCount = missing.reduce((total, device) => total + device.missingSeqs, 0);
  const problems = [
    missing.length > 0 &&
      `${counted(missingCount, 'sale number')} missing between the day's first and last (${missing
        .map((device) => `${device.name}: ${device.missingSeqs}`)
        .join(', ')})`,
    unsent.length > 0 &&
      `${unsent.map((device) => `${device.name} reports ${counted(device.unsentReported ?? 0, 'unsent sale')}`).join(', ')}`,
  ].filter(Boolean);
  const tills = report.devices.filter((device) => device.saleCount > 0).length;
  return {
    id: 'all_sales_in',
    label: 'All sales are in',
    ok: problems.length === 0,
    detail:
      problems.length === 0
        ? `${counted(report.sales.count, 'sale')} from ${counted(tills, 'till')}; no sale number missing, no till reports unsent sales`
        : problems.join('; '),
  };
}

function noSequenceIssues(report: ReportFigures): ReconciliationCheck {
  const { open, resolved } = report.sequenceIssues;
  return {
    id: 'no_sequence_issues',
    label: 'No open sequence problems',
    ok: open === 0,
    detail: `${counted(open, 'open sequence problem')}${resolved > 0 ? `, ${resolved} resolved` : ''}`,
  };
}

function capturesFinal(report: ReportFigures, money: (amount: number) => string): ReconciliationCheck {
  const open = OPEN_STATES.map((state) => [state, report.cardOutcomes[state] ?? zero()] as const).filter(
    ([, part]) => part.count > 0,
  );
  return {
    id: 'captures_final',
    label: 'Card payments are final',
    ok: open.length === 0,
    detail:
      open.length === 0
        ? 'Every card payment of the day is captured, declined, expired or written off'
        : `Not final yet: ${open.map(([state, part]) => `${part.count} ${state} (${money(part.amount)})`).join(', ')}`,
  };
}

function declinesFollowedUp(report: ReportFigures, money: (amount: number) => string): ReconciliationCheck {
  const declined = report.declinedAfterForwarding;
  return {
    id: 'declines_followed_up',
    label: 'Declines after forwarding followed up',
    ok: declined.open.count === 0,
    detail:
      declined.count === 0
        ? 'No stored card payment was declined when forwarded'
        : `${counted(declined.count, 'stored card payment')} declined when forwarded (${money(declined.amount)}): ` +
          `${declined.writtenOff.count} written off, ${declined.paidElsewhere.count} paid another way, ${declined.open.count} open`,
  };
}

function drawersBalance(report: ReportFigures, money: (amount: number) => string): ReconciliationCheck {
  const closed = report.drawers.filter((shift) => shift.status === 'closed');
  const open = report.drawers.length - closed.length;
  const unexplained = closed.filter((shift) => (shift.overShort ?? 0) !== 0 && shift.reason === null);
  const explained = closed.filter((shift) => (shift.overShort ?? 0) !== 0 && shift.reason !== null);
  const words = (shift: (typeof closed)[number]) =>
    `${shift.deviceName}${shift.cashier === null ? '' : ` (${shift.cashier})`} ${(shift.overShort ?? 0) > 0 ? 'over' : 'short'} ${money(Math.abs(shift.overShort ?? 0))}` +
    (shift.missingSales > 0 ? `, ${counted(shift.missingSales, 'sale')} not received yet` : '');
  const parts = [
    `${counted(closed.length, 'closed drawer')}`,
    unexplained.length > 0 && `without a reason: ${listed(unexplained.map(words))}`,
    explained.length > 0 && `explained: ${listed(explained.map(words))}`,
    open > 0 && `${counted(open, 'drawer')} still open`,
  ].filter(Boolean);
  return {
    id: 'drawers_balance',
    label: 'Drawers balance or are explained',
    ok: unexplained.length === 0,
    detail: parts.join('; '),
  };
}

function gatewayReferences(report: ReportFigures): ReconciliationCheck {
  const { captured, withReference } = report.gateway;
  const without = captured.count - withReference;
  return {
    id: 'gateway_references',
    label: 'Every capture has a gateway reference',
    ok: without === 0,
    detail:
      without === 0
        ? `${counted(captured.count, 'captured payment')}, each with a gateway reference`
        : `${without} of ${counted(captured.count, 'captured payment')} without a gateway reference`,
  };
}

function zero(): Amount {
  return { count: 0, amount: 0 };
}
