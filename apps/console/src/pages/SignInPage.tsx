import { useState, type FormEvent } from 'react';
import { graphql, type Session } from '../api/client.js';
import { LOGIN } from '../api/documents.js';
import { ErrorNote } from './common.js';

export function SignInPage({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice?: string }) {
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const data = await graphql<{ login: Session }>(LOGIN, { userId: userId.trim(), password });
      onSignedIn(data.login);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <h1>RadLedger console</h1>
      <p className="muted">Provenance and regulatory audit ledger for radiomics trials. Sign in with your RadLedger account.</p>
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          User id
          <input name="userId" autoComplete="username" value={userId} onChange={(e) => setUserId(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ErrorNote error={error} />
      <p className="muted small">
        Development demo: the API's start-up log prints the demo users (monitor, QA, regulatory) and their passwords.
      </p>
    </main>
  );
}
