import type { Alert } from '@till/shared/core';
import type { PageProps } from '../page-props.ts';
import { alertTarget } from './alert-target.ts';

/** What needs the manager's action, critical first, each with a button to where it is fixed. */
export function AlertList({
  alerts,
  date,
  navigate,
}: {
  alerts: readonly Alert[];
  date: string;
  navigate: PageProps['navigate'];
}) {
  if (alerts.length === 0) {
    return (
      <div className="m-alert m-alert--clear" data-testid="alerts-clear">
        <span className="m-alert__message">Nothing needs your action.</span>
      </div>
    );
  }
  const ordered = [...alerts].sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical'));
  return (
    <ul className="m-alerts" aria-label="Needs your action">
      {ordered.map((alert) => {
        const target = alertTarget(alert, date);
        return (
          <li key={alert.kind} className={`m-alert m-alert--${alert.severity}`} data-testid={`alert-${alert.kind}`}>
            <span className="m-alert__message">
              {alert.severity === 'critical' ? '⚠ ' : ''}
              {alert.message}
            </span>
            <button type="button" className="m-btn" onClick={() => navigate(alert.page, target.params)}>
              {target.label}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
