import { type EnrollmentCodeResponse, type ManagerDevice, storeDayOf } from '@till/shared/core';
import { useState } from 'react';
import { DeviceRow } from '../devices/DeviceRow.tsx';
import { EnrollDialog } from '../devices/EnrollDialog.tsx';
import { RevokeDialog } from '../devices/RevokeDialog.tsx';
import { SequenceIssuesCard } from '../devices/SequenceIssuesCard.tsx';
import { useDevices } from '../devices/use-devices.ts';
import { useEnrollmentCode } from '../devices/use-enrollment-code.ts';
import type { PageProps } from '../page-props.ts';
import { DataState } from '../ui/DataState.tsx';
import { errorMessage } from '../ui/errors.ts';
import { useNow } from '../ui/use-now.ts';

/** The store's tills: last heard from, what they still hold, enroll a new one, revoke one. */
export function DevicesPage({ store, navigate }: PageProps) {
  const devices = useDevices(store.id);
  const enroll = useEnrollmentCode(store.id);
  const [enrollment, setEnrollment] = useState<EnrollmentCodeResponse | null>(null);
  const [revoking, setRevoking] = useState<ManagerDevice | null>(null);
  const now = useNow();

  return (
    <div className="m-page">
      <div className="m-page__head">
        <h1>Tills</h1>
        <button
          type="button"
          className="m-btn m-btn--primary"
          data-testid="device-enroll"
          disabled={enroll.isPending}
          onClick={() => enroll.mutate(undefined, { onSuccess: setEnrollment })}
        >
          {enroll.isPending ? 'Making a code…' : 'Enroll a till'}
        </button>
      </div>
      {enroll.isError && (
        <p className="m-form__error" role="alert">
          No code: {errorMessage(enroll.error)}
        </p>
      )}
      <DataState
        query={devices}
        isEmpty={(list) => list.length === 0}
        empty="No till is enrolled in this store yet. Tap “Enroll a till” and type the code on the tablet."
      >
        {(list) => (
          <div className="m-card m-card--flush">
            <div className="m-table-wrap">
              <table className="m-table">
                <thead>
                  <tr>
                    <th scope="col">Till</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last seen</th>
                    <th scope="col" className="m-num">
                      Last seq
                    </th>
                    <th scope="col" className="m-num">
                      Unsent
                    </th>
                    <th scope="col">Storage</th>
                    <th scope="col" className="m-num">
                      Seq. issues
                    </th>
                    <th scope="col">
                      <span className="m-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((device) => (
                    <DeviceRow
                      key={device.deviceId}
                      device={device}
                      store={store}
                      now={now}
                      onRevoke={setRevoking}
                      onShowFlagged={(flagged) =>
                        navigate('sales', {
                          deviceId: flagged.deviceId,
                          flagged: 'true',
                          // Since the till was enrolled: a sequence issue may be older than today.
                          from: storeDayOf(new Date(flagged.enrolledAt), store.timezone),
                        })
                      }
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </DataState>
      <p className="m-muted">
        “Unsent” is what each till last reported when it synced; “silent” means an active till has not been heard from
        for a while — check it is on and online.
      </p>
      <SequenceIssuesCard store={store} navigate={navigate} />
      <EnrollDialog enrollment={enrollment} store={store} onClose={() => setEnrollment(null)} />
      {revoking !== null && <RevokeDialog storeId={store.id} device={revoking} onClose={() => setRevoking(null)} />}
    </div>
  );
}
