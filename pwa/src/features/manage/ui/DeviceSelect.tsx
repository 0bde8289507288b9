import type { ManagerDevice } from '@till/shared/core';

/** A "which till" filter; the list comes from the Tills query the caller already has. */
export function DeviceSelect({
  devices,
  value,
  onChange,
  testId,
}: {
  devices: readonly ManagerDevice[] | undefined;
  value: string;
  onChange: (deviceId: string) => void;
  testId?: string;
}) {
  return (
    <label className="m-field">
      <span>Till</span>
      <select data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All tills</option>
        {devices?.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.deviceNo} · {device.name}
            {device.status === 'revoked' ? ' (revoked)' : ''}
          </option>
        ))}
        {value !== '' && devices !== undefined && !devices.some((device) => device.deviceId === value) && (
          <option value={value}>Unknown till</option>
        )}
      </select>
    </label>
  );
}
