import { type FormEvent, useState } from 'react';
import { ManageApiError } from '../api/client.ts';
import { useSignIn } from './use-sign-in.ts';

function signInError(error: unknown): string {
  if (!(error instanceof ManageApiError)) return 'Sign-in failed. Try again.';
  if (error.offline) return 'The server cannot be reached. Check the connection and try again.';
  if (error.status === 401) return 'Wrong e-mail or password.';
  if (error.status === 429) {
    const minutes = error.retryAfterSeconds ? Math.ceil(error.retryAfterSeconds / 60) : null;
    return `Too many sign-in attempts. Wait ${minutes ? `${minutes} min` : 'a few minutes'} and try again.`;
  }
  return error.message;
}

/**
 * E-mail and password (MGR-1). `notice` says why the manager is here again (their session
 * ended); `email` is then theirs, filled in.
 */
export function SignInScreen({ notice, email: knownEmail = '' }: { notice: string | null; email?: string }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState(knownEmail);
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <main className="m-signin">
      <form className="m-card m-form" onSubmit={submit} aria-labelledby="m-signin-title">
        <div>
          <h1 id="m-signin-title">Manager console</h1>
          <p className="m-muted">Sign in to see your store's sales, card payments and tills.</p>
        </div>
        {notice !== null && !signIn.isError && (
          <p className="m-form__error" role="status">
            {notice}
          </p>
        )}
        <label className="m-field">
          <span>E-mail</span>
          <input
            data-testid="manage-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="m-field">
          <span>Password</span>
          <input
            data-testid="manage-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {signIn.isError && (
          <p className="m-form__error" role="alert" data-testid="manage-signin-error">
            {signInError(signIn.error)}
          </p>
        )}
        <button type="submit" className="m-btn m-btn--primary" data-testid="manage-signin" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
