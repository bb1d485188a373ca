import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { isApiError } from '../../shared/client/api-client.js';

/** What a view does with a failed call: the session reacts to UNAUTHORIZED/FORBIDDEN; the view shows the rest. */
interface SessionContextValue {
  /** True when the session handled the error (signed out, or no longer an admin). */
  handleAuthError(error: unknown): boolean;
}

const SessionContext = createContext<SessionContextValue>({ handleAuthError: () => false });

export function SessionProvider({ value, children }: { value: SessionContextValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** A readable message for a failed call, with the request id support needs. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Loads data for a view; reloads when `deps` change or on `reload()`. Stale answers are dropped. */
export function useLoader<T>(load: () => Promise<T>, deps: unknown[]) {
  const { handleAuthError } = useContext(SessionContext);
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => {
        if (run === latest.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (run !== latest.current || handleAuthError(error)) return;
        setState((previous) => ({ data: previous.data, error: describeError(error), loading: false }));
      },
    );
    // `load` is a new closure each render; callers list in `deps` what it reads.
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** Runs user actions (save, issue, revoke) with a status line: busy, done, or the error. */
export function useAction() {
  const { handleAuthError } = useContext(SessionContext);
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; message: string }>({ kind: 'idle', message: '' });
  const run = useCallback(
    async <T,>(action: () => Promise<T>, messages: { busy: string; done: string | ((result: T) => string) }): Promise<T | undefined> => {
      setStatus({ kind: 'busy', message: messages.busy });
      try {
        const result = await action();
        setStatus({ kind: 'done', message: typeof messages.done === 'function' ? messages.done(result) : messages.done });
        return result;
      } catch (error) {
        if (!handleAuthError(error)) setStatus({ kind: 'error', message: describeError(error) });
        else setStatus({ kind: 'idle', message: '' });
        return undefined;
      }
    },
    [handleAuthError],
  );
  return { status, run, busy: status.kind === 'busy' };
}
