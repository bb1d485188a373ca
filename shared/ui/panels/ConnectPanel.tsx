import { useState, type FormEvent } from 'react';
import { createApiClient, isApiError } from '../../client/api-client.js';
import type { User } from '../../schemas/identity.js';
import { useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { tokenFromPaste } from '../core/pasted-token.js';

/** Said when a Google sign-in gave no token: the author closed Google's window, said no, or Google did not answer. */
const GOOGLE_UNFINISHED = 'Google sign-in did not finish: its window was closed, or Google could not be reached. Try again, or paste a token instead.';

/**
 * Connect: API URL and token (or Google sign-in where the host has it and the server accepts it: `serverOffersGoogle`,
 * from the `/v1/meta` the shell reads once); shows who is connected.
 */
export function ConnectPanel({ onConnected, serverOffersGoogle }: { onConnected: () => void; serverOffersGoogle: boolean }) {
  const session = useSession();
  const { host, connected, client } = session;
  const [apiUrl, setApiUrl] = useState(session.apiUrl);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  // A pasted token the server refused: it may never have worked, so it is not "no longer valid", and the cure is
  // checking or replacing it here (a "Connect again" button would lead back to this same form).
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  // Google's sign-in window closed, or Google could not be reached: no token and no error to show, but the author clicked.
  const [googleUnfinished, setGoogleUnfinished] = useState(false);
  const me = useLoad<User>(connected ? () => client.getMe() : null, [connected, client]);
  // Offered only where the server accepts it: by default it has no Google client ids, so the button could never work.
  const googleSignIn = host.capabilities.googleSignIn && serverOffersGoogle;

  async function verifyAndConnect(url: string, apiToken: string) {
    setBusy(true);
    setError(null);
    setRefused(false);
    try {
      // Checked with a one-off client so a wrong token never replaces a working one.
      await createApiClient({ baseUrl: url, getToken: () => apiToken, maxRetries: 0 }).getMe();
      await session.connect(url, apiToken);
      setToken('');
      onConnected();
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'UNAUTHORIZED') setRefused(true);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function signInWithGoogle() {
    setBusy(true);
    setError(null);
    setRefused(false);
    setGoogleUnfinished(false);
    try {
      const idToken = await host.getGoogleIdToken?.();
      if (!idToken) return setGoogleUnfinished(true);
      const result = await createApiClient({ baseUrl: apiUrl }).authGoogle({ body: { idToken } });
      await session.connect(apiUrl, result.token);
      onConnected();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pasted = tokenFromPaste(token);
    if (!pasted) return;
    // A pasted `/app#token=…` link names its server too, where the author may choose one.
    void verifyAndConnect(pasted.origin && !host.capabilities.fixedApiUrl ? pasted.origin : apiUrl.trim(), pasted.token);
  };
  // The one-click link opens the web app; beside a document the author pastes the token, or the whole link.
  const web = host.kind === 'web';

  return (
    <section aria-labelledby="aa-connect-title" className="aa-section">
      <h2 id="aa-connect-title">Connect</h2>
      {session.disconnectReason && <p className="aa-warning" role="alert">{session.disconnectReason}</p>}
      {connected ? (
        <div>
          <p>
            Connected{me.data ? <> as <strong className="aa-user">{me.data.email}</strong></> : ''} to <span className="aa-url">{session.apiUrl || 'this server'}</span>.
          </p>
          {me.error ? <ErrorNotice error={me.error} onRetry={me.reload} /> : null}
          <button type="button" onClick={() => void session.disconnect()}>Disconnect</button>
        </div>
      ) : (
        <form onSubmit={submit} className="aa-form">
          {!host.capabilities.fixedApiUrl && (
            <label>
              API URL
              <input type="url" name="apiUrl" dir="ltr" required value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://auto-author.example.com" />
            </label>
          )}
          <label>
            API token
            <input type="password" name="token" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="aa_…" />
          </label>
          <p className="aa-hint">
            {web ? 'Ask your administrator for a token, or open the link they sent you.' : 'Paste the token your administrator gave you, or the whole link they sent you.'}
          </p>
          <div className="aa-row">
            <button type="submit" className="aa-primary" disabled={busy || !token.trim()}>Connect</button>
            {googleSignIn && (
              <button type="button" disabled={busy} onClick={() => void signInWithGoogle()}>Sign in with Google</button>
            )}
          </div>
        </form>
      )}
      {refused && !connected && (
        <p className="aa-warning" role="alert">
          This token was not accepted. Check that you copied all of it, or ask your administrator for a new token
          {web ? ' or for the link that connects you in one click' : ' or link'}.
        </p>
      )}
      {googleUnfinished && !connected && <p className="aa-warning" role="alert">{GOOGLE_UNFINISHED}</p>}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
    </section>
  );
}
