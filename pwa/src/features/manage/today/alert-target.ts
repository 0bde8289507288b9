import type { Alert, AlertKind } from '@till/shared/core';

const PAGE_WORDS: Record<Alert['page'], string> = {
  payments: 'Open card payments',
  devices: 'Open tills',
  sales: 'Open flagged sales',
  drawers: 'Open drawers',
};

/** Where on its page an alert is fixed: the page's filter for exactly what the alert counts. */
function paramsFor(kind: AlertKind, date: string): Record<string, string> {
  switch (kind) {
    case 'declined_after_forwarding':
      return { view: 'declined_after_forwarding' };
    case 'unknown_payment':
      return { view: 'open', state: 'unknown' };
    case 'quarantined_payment':
      return { view: 'open', state: 'quarantined' };
    case 'expiring_payment':
      return { view: 'open' };
    case 'flagged_sale':
      return { flagged: 'true', from: date, to: date };
    case 'drawer_over_short':
      return { from: date, to: date };
    case 'sequence_issue':
    case 'silent_device':
    case 'storage_not_persisted':
      return {};
  }
}

/** The button that takes a manager from an alert to the page that fixes it. */
export function alertTarget(alert: Alert, date: string): { label: string; params: Record<string, string> } {
  return { label: PAGE_WORDS[alert.page], params: paramsFor(alert.kind, date) };
}
