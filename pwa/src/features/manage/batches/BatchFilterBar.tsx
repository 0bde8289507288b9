import type { ManagerDevice } from '@till/shared/core';
import { DeviceSelect } from '../ui/DeviceSelect.tsx';
import type { BatchFilters } from './use-batches.ts';

/** Date range and till; every change goes straight into the URL (and so into the query). */
export function BatchFilterBar({
  filters,
  devices,
  onChange,
}: {
  filters: BatchFilters;
  devices: readonly ManagerDevice[] | undefined;
  onChange: (filters: BatchFilters) => void;
}) {
  return (
    <search className="m-toolbar" aria-label="Filter batches">
      <label className="m-field">
        <span>From</span>
        <input
          type="date"
          data-testid="batches-from"
          value={filters.from ?? ''}
          onChange={(event) => onChange({ ...filters, from: event.target.value || undefined })}
        />
      </label>
      <label className="m-field">
        <span>To</span>
        <input
          type="date"
          data-testid="batches-to"
          value={filters.to ?? ''}
          onChange={(event) => onChange({ ...filters, to: event.target.value || undefined })}
        />
      </label>
      <DeviceSelect
        devices={devices}
        value={filters.deviceId ?? ''}
        testId="batches-device"
        onChange={(deviceId) => onChange({ ...filters, deviceId: deviceId || undefined })}
      />
      {(filters.from || filters.to || filters.deviceId) && (
        <div className="m-toolbar__actions">
          <button type="button" className="m-btn" onClick={() => onChange({})}>
            Clear
          </button>
        </div>
      )}
    </search>
  );
}
