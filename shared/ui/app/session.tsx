import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApiClient, isApiError, type ApiClient } from '../../client/api-client.js';
import { endpoints } from '../../contract/index.js';
import type { Book } from '../../schemas/books.js';
import type { Job } from '../../schemas/ai.js';
import { StartFailure } from '../components/StartFailure.js';
import { followJob } from '../core/jobs.js';
import { STORAGE_KEYS, type DocumentContext, type PanelHost } from '../panel-host.js';

/** Everything a panel needs: the host, a typed client on the stored connection, and the open book. */
export interface PanelSession {
  host: PanelHost;
  client: ApiClient;
  apiUrl: string;
  connected: boolean;
  /** Why the author was disconnected (shown on Connect), e.g. a revoked token. */
  disconnectReason: string | null;
  connect(apiUrl: string, token: string): Promise<void>;
  disconnect(reason?: string): Promise<void>;
  doc: DocumentContext | null;
  book: Book | null;
  setBook(book: Book | null): void;
  chapterId: string | null;
  setChapterId(chapterId: string | null): void;
  /**
   * Whether the server answers: `lost` after a request got no answer, until one does (checked every few seconds);
   * `epoch` counts the returns, so "Cannot reach the server" notices clear and failed loads run again by themselves.
   */
  connection: { lost: boolean; epoch: number };
  /** Counts changes the author made (every successful write to the API, and `touched()`), so overviews re-read. */
  revision: number;
  /** A change the API did not see (a host writing its local preview). */
  touched(): void;
  /** Follows a job over SSE (polling as fallback) until it ends. */
  follow(jobId: string, onUpdate: (job: Job) => void, signal?: AbortSignal): Promise<Job>;
}

/** Client methods that change what the author has (writes), as opposed to reads and estimates. */
const WRITES = new Set(Object.entries(endpoints).filter(([name, e]) => e.method !== 'GET' && name !== 'quote').map(([name]) => name));

/** How often a lost server is asked again. */
const RECONNECT_CHECK_MS = 3_000;

const SessionContext = createContext<PanelSession | null>(null);

/** The session of the panel tree; throws outside `SessionProvider`. */
export function useSession(): PanelSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

interface Stored {
  apiUrl: string;
  token: string | null;
  doc: DocumentContext | null;
  book: Book | null;
  chapterId: string | null;
}

/** Loads the stored connection and open book, then provides the session (renders nothing until loaded). */
export function SessionProvider({ host, children }: { host: PanelHost; children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(null);
  const [disconnectReason, setDisconnectReason] = useState<string | null>(null);
  const tokenRef = useRef<string | null>(null);
  const [connection, setConnection] = useState({ lost: false, epoch: 0 });
  const [revision, setRevision] = useState(0);
  const touched = useCallback(() => setRevision((r) => r + 1), []);
  // The first reads can be refused by the host (Apps Script: several Google accounts, a lost connection): shown with
  // Try again, which reads again (`attempt`), rather than "Loading…" for ever.
  const [startFailure, setStartFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const lost = useRef(false);
  const markAnswered = useCallback(() => {
    if (!lost.current) return;
    lost.current = false;
    setConnection((c) => ({ lost: false, epoch: c.epoch + 1 }));
  }, []);

  useEffect(() => {
    let live = true;
    setStartFailure(null);
    Promise.all([
      host.settings.get<string>(STORAGE_KEYS.apiUrl), host.settings.get<string>(STORAGE_KEYS.apiToken), host.getDocumentContext(),
    ]).then(([apiUrl, token, doc]) => {
      tokenRef.current = token;
      if (live) setStored({ apiUrl: host.capabilities.fixedApiUrl ? host.defaultApiUrl ?? '' : apiUrl ?? host.defaultApiUrl ?? '', token, doc, book: null, chapterId: null });
    }, (error: unknown) => live && setStartFailure(error));
    const unsubscribe = host.onDocumentContextChange?.((doc) => setStored((s) => (s ? { ...s, doc, book: null, chapterId: null } : s)));
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [host, attempt]);

  const disconnect = useCallback(async (reason?: string) => {
    tokenRef.current = null;
    await host.settings.remove(STORAGE_KEYS.apiToken);
    setDisconnectReason(reason ?? null);
    setStored((s) => (s ? { ...s, token: null, book: null, chapterId: null } : s));
  }, [host]);

  const apiUrl = stored?.apiUrl ?? '';
  const client = useMemo(() => {
    const raw = createApiClient({ baseUrl: apiUrl, getToken: () => tokenRef.current, timeoutMs: 20_000 });
    // Decide by code: only UNAUTHORIZED (never GOOGLE_AUTH_REQUIRED, never a bare 401) clears the stored token.
    return new Proxy(raw, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).then((result) => {
            markAnswered();
            if (WRITES.has(String(name))) touched();
            return result;
          }, (error: unknown) => {
            if (isApiError(error) && (error.code === 'NETWORK' || error.code === 'TIMEOUT')) {
              if (!lost.current) setConnection((c) => ({ ...c, lost: true }));
              lost.current = true;
            } else if (isApiError(error) && error.status > 0) markAnswered();
            if (isApiError(error) && error.code === 'UNAUTHORIZED' && tokenRef.current) {
              // Worded for both cases: a revoked token, and one from a link that never worked.
              void disconnect(`Your API token was not accepted: it may have been revoked or mistyped. Paste a new one, or ${host.kind === 'web' ? 'open' : 'paste'} the link your administrator sent.`);
            }
            throw error;
          });
      },
    }) as ApiClient;
  }, [apiUrl, host, disconnect, markAnswered, touched]);

  // While the server does not answer, ask it every few seconds (a no-auth call), so the panels recover by themselves.
  useEffect(() => {
    if (!connection.lost) return;
    const timer = setInterval(() => void client.meta().catch(() => undefined), RECONNECT_CHECK_MS);
    return () => clearInterval(timer);
  }, [connection.lost, client]);

  // Stable across session changes (a revision, the connection), so a job being followed is never dropped by them.
  const follow = useCallback<PanelSession['follow']>(
    (jobId, onUpdate, signal) => followJob(jobId, { client, baseUrl: apiUrl, getToken: () => tokenRef.current, onUpdate, signal }),
    [client, apiUrl],
  );

  const session = useMemo<PanelSession | null>(() => {
    if (!stored) return null;
    const docKey = STORAGE_KEYS.book(stored.doc?.documentId ?? null);
    return {
      host, client, apiUrl: stored.apiUrl, connected: Boolean(stored.token), disconnectReason,
      async connect(nextUrl, token) {
        const url = host.capabilities.fixedApiUrl ? host.defaultApiUrl ?? nextUrl : nextUrl.replace(/\/+$/, '');
        tokenRef.current = token;
        await host.settings.set(STORAGE_KEYS.apiUrl, url);
        await host.settings.set(STORAGE_KEYS.apiToken, token);
        setDisconnectReason(null);
        setStored((s) => (s ? { ...s, apiUrl: url, token } : s));
      },
      disconnect,
      doc: stored.doc,
      book: stored.book,
      setBook(book) {
        const same = book !== null && stored.book?.id === book.id;
        if (same || !book) {
          setStored((s) => (s ? { ...s, book, chapterId: book ? s.chapterId : null } : s));
          if (!book) void host.settings.remove(docKey);
          return;
        }
        void host.settings.set(docKey, book.id);
        // Opened together with the chapter the author was last working on in it, so no panel picks another first.
        void host.settings.get<string>(STORAGE_KEYS.chapter(book.id)).then(
          (chapterId) => setStored((s) => (s ? { ...s, book, chapterId: chapterId ?? null } : s)),
          () => setStored((s) => (s ? { ...s, book, chapterId: null } : s)),
        );
      },
      chapterId: stored.chapterId,
      setChapterId(chapterId) {
        setStored((s) => (s ? { ...s, chapterId } : s));
        if (stored.book) void host.settings.set(STORAGE_KEYS.chapter(stored.book.id), chapterId);
      },
      connection,
      revision,
      touched,
      follow,
    };
  }, [stored, host, client, disconnect, disconnectReason, connection, revision, touched, follow]);

  if (!session && startFailure) return <StartFailure error={startFailure} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!session) return <p className="aa-muted" role="status">Loading…</p>;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
