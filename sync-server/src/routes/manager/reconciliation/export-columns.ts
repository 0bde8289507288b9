import type { CurrencyCode } from '@till/shared';
import type { BatchExportRow, PaymentExportRow, SaleExportRow } from '../../../store/console/reconciliation-store.ts';
import { type CsvColumn, moneyColumns, timeColumns } from './csv.ts';

/** The columns of each export (MGR-12). No gateway token is ever a column (I8). */

export function saleColumns(timeZone: string, currency: CurrencyCode): CsvColumn<SaleExportRow>[] {
  const money = (name: string, amount: (row: SaleExportRow) => number) =>
    moneyColumns<SaleExportRow>(name, amount, (row) => row.currency, currency);
  return [
    { header: 'receipt_no', value: (row) => row.receiptNo },
    { header: 'device_no', value: (row) => row.deviceNo },
    { header: 'device', value: (row) => row.deviceName },
    { header: 'device_seq', value: (row) => row.deviceSeq },
    ...timeColumns<SaleExportRow>('created', (row) => row.createdAt, timeZone),
    { header: 'received_at', value: (row) => row.receivedAt },
    { header: 'currency', value: (row) => row.currency },
    ...money('total', (row) => row.total),
    ...money('tax', (row) => row.tax),
    ...money('discount', (row) => row.discount),
    ...money('cash', (row) => row.cash),
    ...money('card', (row) => row.card),
    { header: 'cashier', value: (row) => row.cashier },
    { header: 'shift_id', value: (row) => row.shiftId },
    { header: 'status', value: (row) => row.status },
    { header: 'flags', value: (row) => row.flags.join(' ') },
    { header: 'sale_id', value: (row) => row.saleId },
  ];
}

export function paymentColumns(timeZone: string, currency: CurrencyCode): CsvColumn<PaymentExportRow>[] {
  return [
    { header: 'payment_id', value: (row) => row.paymentId },
    { header: 'receipt_no', value: (row) => row.receiptNo },
    { header: 'device_no', value: (row) => row.deviceNo },
    { header: 'device', value: (row) => row.deviceName },
    { header: 'cashier', value: (row) => row.cashier },
    ...timeColumns<PaymentExportRow>('sold', (row) => row.soldAt, timeZone),
    { header: 'currency', value: (row) => row.currency },
    ...moneyColumns<PaymentExportRow>(
      'amount',
      (row) => row.amount,
      (row) => row.currency,
      currency,
    ),
    { header: 'brand', value: (row) => row.brand },
    { header: 'last4', value: (row) => row.last4 },
    { header: 'entry', value: (row) => row.entry },
    { header: 'stored_reason', value: (row) => row.storedReason },
    { header: 'state', value: (row) => row.state },
    { header: 'attempts', value: (row) => row.attempts },
    { header: 'decline_code', value: (row) => row.declineCode },
    { header: 'gateway_ref', value: (row) => row.gatewayRef },
    { header: 'created_at', value: (row) => row.createdAt },
    { header: 'captured_at', value: (row) => row.capturedAt },
    { header: 'follow_up', value: (row) => row.followUp },
    { header: 'follow_up_by', value: (row) => row.followUpBy },
    { header: 'follow_up_reason', value: (row) => row.followUpReason },
    { header: 'sale_id', value: (row) => row.saleId },
  ];
}

export function batchColumns(timeZone: string, currency: CurrencyCode): CsvColumn<BatchExportRow>[] {
  return [
    { header: 'batch_id', value: (row) => row.batchId },
    { header: 'device_no', value: (row) => row.deviceNo },
    { header: 'device', value: (row) => row.deviceName },
    ...timeColumns<BatchExportRow>('received', (row) => row.receivedAt, timeZone),
    { header: 'sale_count', value: (row) => row.saleCount },
    { header: 'new_count', value: (row) => row.newCount },
    { header: 'duplicate_count', value: (row) => row.duplicateCount },
    { header: 'flagged_count', value: (row) => row.flaggedCount },
    { header: 'currency', value: () => currency },
    ...moneyColumns<BatchExportRow>(
      'total',
      (row) => row.total,
      () => currency,
      currency,
    ),
  ];
}
