import type { EnrollmentCodeResponse, ManagerStore } from '@till/shared/core';
import { Dialog } from '../ui/Dialog.tsx';
import { dateTime, fromNow } from '../ui/format.ts';

/** The new code, big enough to read across the counter, with when it stops working. */
export function EnrollDialog({
  enrollment,
  store,
  onClose,
}: {
  enrollment: EnrollmentCodeResponse | null;
  store: ManagerStore;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={enrollment !== null}
      title="Enroll a till"
      onClose={onClose}
      testId="device-enroll-dialog"
      actions={
        <button type="button" className="m-btn m-btn--primary" onClick={onClose}>
          Done
        </button>
      }
    >
      {enrollment && (
        <>
          <p>
            On the new till, open <strong>{location.origin}</strong> and type this code. It works once, and is shown
            only now.
          </p>
          <div className="m-code" data-testid="device-enroll-code">
            {enrollment.code}
          </div>
          <p className="m-muted" data-testid="device-enroll-expiry">
            Expires {dateTime(enrollment.expiresAt, store)} ({fromNow(enrollment.expiresAt, Date.now())}).
          </p>
        </>
      )}
    </Dialog>
  );
}
