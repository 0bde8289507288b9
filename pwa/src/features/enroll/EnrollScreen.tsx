import { type FormEvent, useState } from 'react';
import { useOnline } from '../status/use-online.ts';
import { EnrollError } from './enroll.ts';
import { useEnroll } from './use-enroll.ts';
import './enroll.css';

/** First run: a manager's one-time code makes this tablet a till of their store. */
export function EnrollScreen() {
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('Front till');
  const online = useOnline();
  const enrollment = useEnroll();
  const error = enrollment.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim() || !deviceName.trim()) return;
    enrollment.mutate({ code, deviceName });
  };

  return (
    <section className="enroll">
      <form className="enroll-card" onSubmit={submit}>
        <h1>Set up this till</h1>
        <p className="enroll-lead">Enter the enrollment code a manager created for this device.</p>
        <label className="field">
          <span>Enrollment code</span>
          <input
            data-testid="enroll-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            inputMode="text"
            required
            minLength={6}
            maxLength={32}
          />
        </label>
        <label className="field">
          <span>Device name</span>
          <input
            data-testid="enroll-name"
            value={deviceName}
            onChange={(event) => setDeviceName(event.target.value)}
            required
            maxLength={64}
          />
        </label>
        {!online && <p className="enroll-note">This tablet is offline. Connect to the network to enroll.</p>}
        {error && (
          <p className="enroll-error" role="alert" data-testid="enroll-error">
            {error instanceof EnrollError ? error.message : 'Enrollment failed. Try again.'}
          </p>
        )}
        <button
          type="submit"
          className="button button-primary button-large"
          data-testid="enroll-submit"
          disabled={enrollment.isPending}
        >
          {enrollment.isPending ? 'Enrolling…' : 'Enroll this till'}
        </button>
      </form>
    </section>
  );
}
