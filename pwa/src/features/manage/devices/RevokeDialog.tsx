import type { ManagerDevice } from '@till/shared/core';
import { ReasonDialog } from '../ui/ReasonDialog.tsx';
import { useRevokeDevice } from './use-revoke-device.ts';

/** Revoke one till, with the reason the audit log keeps (MGR-8). Mounted while open. */
export function RevokeDialog({
  storeId,
  device,
  onClose,
}: {
  storeId: string;
  device: ManagerDevice;
  onClose: () => void;
}) {
  const revoke = useRevokeDevice(storeId);
  return (
    <ReasonDialog
      title={`Revoke till ${device.deviceNo} · ${device.name}`}
      testId="device-revoke-dialog"
      explanation="The till's key stops working at once: it can no longer send sales or capture cards through the server, and sales it has not sent yet will not arrive. This cannot be undone."
      reasonTestId="revoke-reason"
      placeholder="e.g. Tablet stolen from the counter"
      confirmLabel="Revoke till"
      confirmTestId="revoke-confirm"
      pendingLabel="Revoking…"
      tone="danger"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={(reason) => revoke.mutate({ deviceId: device.deviceId, reason }, { onSuccess: onClose })}
      onClose={onClose}
    >
      {device.unsentCount !== null && device.unsentCount > 0 && (
        <p className="m-form__error">It last reported {device.unsentCount} unsent sales.</p>
      )}
    </ReasonDialog>
  );
}
