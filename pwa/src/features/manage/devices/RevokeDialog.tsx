import type { ManagerDevice } from '@till/shared/core';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import { errorMessage } from '../ui/errors.ts';
import { useRevokeDevice } from './use-revoke-device.ts';

const MIN_REASON = 3;

/** Revoke one till, with the reason the audit log keeps (MGR-8). */
export function RevokeDialog({
  storeId,
  device,
  onClose,
}: {
  storeId: string;
  device: ManagerDevice | null;
  onClose: () => void;
}) {
  const revoke = useRevokeDevice(storeId);
  const [reason, setReason] = useState('');
  const valid = reason.trim().length >= MIN_REASON;

  const close = () => {
    setReason('');
    revoke.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!device || !valid) return;
    revoke.mutate({ deviceId: device.deviceId, reason: reason.trim() }, { onSuccess: close });
  };

  return (
    <Dialog
      open={device !== null}
      title={device ? `Revoke till ${device.deviceNo} · ${device.name}` : 'Revoke'}
      onClose={close}
      testId="device-revoke-dialog"
      actions={
        <>
          <button type="button" className="m-btn" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            form="m-revoke-form"
            className="m-btn m-btn--danger"
            data-testid="revoke-confirm"
            disabled={!valid || revoke.isPending}
          >
            {revoke.isPending ? 'Revoking…' : 'Revoke till'}
          </button>
        </>
      }
    >
      <form id="m-revoke-form" className="m-form" onSubmit={submit}>
        <p>
          The till's key stops working at once: it can no longer send sales or capture cards through the server, and
          sales it has not sent yet will not arrive. This cannot be undone.
        </p>
        {device !== null && device.unsentCount !== null && device.unsentCount > 0 && (
          <p className="m-form__error">It last reported {device.unsentCount} unsent sales.</p>
        )}
        <label className="m-field">
          <span>Reason (kept in the audit log)</span>
          <textarea
            data-testid="revoke-reason"
            required
            minLength={MIN_REASON}
            maxLength={300}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="e.g. Tablet stolen from the counter"
          />
        </label>
        {revoke.isError && (
          <p className="m-form__error" role="alert">
            {errorMessage(revoke.error)}
          </p>
        )}
      </form>
    </Dialog>
  );
}
