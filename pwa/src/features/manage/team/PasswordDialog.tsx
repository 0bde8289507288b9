import { useState } from 'react';
import { FormField } from '../settings/FormField.tsx';
import { FormDialog } from '../ui/FormDialog.tsx';
import { MAX_PASSWORD, passwordError } from './account-form.ts';
import { PasswordInput } from './PasswordInput.tsx';
import { accountErrorsOf } from './server-errors.ts';
import { useSetPassword } from './use-set-password.ts';

/**
 * Sets a password: an owner for anyone of the team, anyone for themself. Whoever knew the old
 * one is signed out (the account's other sessions end); this browser stays signed in.
 */
export function PasswordDialog({
  account,
  isSelf,
  onClose,
}: {
  account: { id: string; name: string };
  isSelf: boolean;
  onClose: () => void;
}) {
  const setPassword = useSetPassword();
  const [password, setValue] = useState('');
  const [current, setCurrent] = useState('');
  const [error, setError] = useState<string | undefined>();
  const server = accountErrorsOf(setPassword.error);

  const submit = () => {
    const weak = passwordError(password);
    setError(weak);
    if (weak !== undefined) return;
    setPassword.mutate(
      { managerId: account.id, password, ...(isSelf && { currentPassword: current }) },
      { onSuccess: onClose },
    );
  };

  return (
    <FormDialog
      title={isSelf ? 'Change your password' : `Set a password for ${account.name}`}
      testId="team-password-dialog"
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Set password"
      submitTestId="team-save"
      pending={setPassword.isPending}
    >
      <p>
        {isSelf
          ? 'You stay signed in here; anywhere else you are signed in (another browser or tablet) is signed out.'
          : `${account.name} is signed out everywhere. Give them the new password in person, not by e-mail, and ask them to change it after they sign in.`}
      </p>
      {isSelf && (
        <FormField id="team-current-password" label="Current password">
          <PasswordInput
            id="team-current-password"
            value={current}
            maxLength={MAX_PASSWORD}
            onChange={setCurrent}
            autoComplete="current-password"
          />
        </FormField>
      )}
      <FormField
        id="team-password"
        label="New password"
        error={error ?? server.fields.password}
        hint="At least 10 characters; a few words are easier to remember than symbols."
      >
        <PasswordInput
          id="team-password"
          value={password}
          maxLength={MAX_PASSWORD}
          onChange={(typed) => {
            setValue(typed);
            setError(undefined);
          }}
        />
      </FormField>
      {server.form && (
        <p className="m-form__error" role="alert" data-testid="team-error">
          {server.form}
        </p>
      )}
    </FormDialog>
  );
}
