import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { isApiError } from '../../shared/client/api-client.js';
import type { User } from '../../shared/schemas/identity.js';
import { SessionProvider, describeError } from './session-context.js';
import { api, session, takeTokenFromUrl } from './session.js';
import { AuditView } from './views/AuditView.js';
import { OverviewView } from './views/OverviewView.js';
import { SystemView } from './views/SystemView.js';
import { UsageView } from './views/UsageView.js';
import { UsersView } from './views/UsersView.js';

const VIEWS = [
  { id: 'overview', label: 'Overview', component: OverviewView },
  { id: 'users', label: 'Users', component: UsersView },
  { id: 'usage', label: 'Usage', component: UsageView },
  { id: 'system', label: 'System', component: SystemView },
  { id: 'audit', label: 'Audit', component: AuditView },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

type Auth =
  | { state: 'checking' }
  | { state: 'signed-out'; message: string | null }
  | { state: 'forbidden'; user: User | null }
  | { state: 'admin'; user: User };

const viewFromHash = (): ViewId => {
  const id = window.location.hash.replace(/^#\/?/, '');
  return VIEWS.some((view) => view.id === id) ? (id as ViewId) : 'overview';
};

/** The current view, from `#/users` style hashes (bookmarkable, back button works). */
function useHashView(): ViewId {
  const [view, setView] = useState<ViewId>(viewFromHash);
  useEffect(() => {
    const onChange = () => setView(viewFromHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return view;
}

/**
 * A refused token may be mistyped or cut short as well as revoked, so the message names no one cause; it says how to get
 * a working one (the recovery command the server prints at start).
 */
const TOKEN_REFUSED =
  'That token was not accepted. Check that you copied all of it, or issue a new admin token on the server with npm run admin:token -- --email <admin email>.';

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const view = useHashView();

  const check = useCallback(async () => {
    if (!session.token()) {
      setAuth({ state: 'signed-out', message: null });
      return;
    }
    setAuth({ state: 'checking' });
    try {
      const user = await api.getMe();
      setAuth(user.role === 'admin' ? { state: 'admin', user } : { state: 'forbidden', user });
    } catch (error) {
      if (isApiError(error) && (error.code === 'UNAUTHORIZED' || error.code === 'ACCOUNT_DISABLED')) {
        session.clear();
        setAuth({ state: 'signed-out', message: error.code === 'ACCOUNT_DISABLED' ? 'This account is disabled.' : TOKEN_REFUSED });
      } else {
        setAuth({ state: 'signed-out', message: `Could not check the token: ${describeError(error)}` });
      }
    }
  }, []);

  useEffect(() => {
    takeTokenFromUrl();
    void check();
    // A `#token=…` link opened in a tab already on the dashboard changes only the fragment: take it all the same.
    const onHashChange = () => {
      if (takeTokenFromUrl()) void check();
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [check]);

  const signOut = useCallback((message: string | null = null) => {
    session.clear();
    setAuth({ state: 'signed-out', message });
  }, []);

  const sessionValue = useMemo(
    () => ({
      handleAuthError(error: unknown) {
        if (!isApiError(error)) return false;
        if (error.code === 'UNAUTHORIZED') {
          signOut('Your token is no longer valid; sign in again.');
          return true;
        }
        if (error.code === 'FORBIDDEN' || error.code === 'ACCOUNT_DISABLED') {
          setAuth((current) => ({ state: 'forbidden', user: current.state === 'admin' ? current.user : null }));
          return true;
        }
        return false;
      },
    }),
    [signOut],
  );

  if (auth.state === 'checking') {
    return (
      <main className="centered" aria-busy="true">
        <p role="status">Checking your token…</p>
      </main>
    );
  }
  if (auth.state === 'signed-out') {
    return (
      <SignIn
        message={auth.message}
        onToken={(token) => {
          session.save(token);
          void check();
        }}
      />
    );
  }
  if (auth.state === 'forbidden') {
    return (
      <main className="centered" id="main">
        <h1>Auto-Author admin</h1>
        <p className="status status-error" role="alert">
          This needs an administrator. {auth.user ? `You are signed in as ${auth.user.email}, who is not an admin.` : ''}
        </p>
        <button type="button" onClick={() => signOut()}>
          Sign in with another token
        </button>
      </main>
    );
  }

  const Current = VIEWS.find((v) => v.id === view)!.component;
  return (
    <SessionProvider value={sessionValue}>
      <a className="skip-link" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header className="app-header">
        <p className="brand">Auto-Author admin</p>
        <nav aria-label="Dashboard">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.id}>
                <a href={`#/${v.id}`} aria-current={v.id === view ? 'page' : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{auth.user.email}</span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <ViewFrame key={view} title={VIEWS.find((v) => v.id === view)!.label}>
        <Current />
      </ViewFrame>
    </SessionProvider>
  );
}

/** The main region of a view; its heading takes focus on navigation so screen readers announce the new view. */
function ViewFrame({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Auto-Author admin`;
    heading.current?.focus();
  }, [title]);
  return (
    <main id="main" tabIndex={-1}>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </main>
  );
}

function SignIn({ message, onToken }: { message: string | null; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <main className="centered" id="main">
      <h1>Auto-Author admin</h1>
      <form className="sign-in" onSubmit={submit}>
        <label htmlFor="admin-token">Admin API token</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby="token-help"
          autoFocus
        />
        <p id="token-help" className="hint">
          The token starts with <code>aa_</code>. It is kept in this tab only (session storage) and sent only to this server.
        </p>
        <button type="submit">Sign in</button>
      </form>
      {message && (
        <p className="status status-error" role="alert">
          {message}
        </p>
      )}
    </main>
  );
}
