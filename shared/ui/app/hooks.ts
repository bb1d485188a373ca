import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { isJobFor, type Job, type JobKind } from '../../schemas/ai.js';
import { Autosaver, type AutosaveOptions, type AutosaveSnapshot, type Confirmed } from '../core/autosave.js';
import { jobPartials, TERMINAL_JOB_STATUSES } from '../core/jobs.js';
import { isApiError } from '../../client/api-error.js';
import { useSession } from './session.js';

/** Loads data for the current inputs; `reload` loads again. Errors are kept for an ErrorNotice. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: Boolean(load) });
  const [round, setRound] = useState(0);
  const { connection } = useSession();
  // A load that failed for want of an answer runs again when the server answers again.
  const unanswered = isApiError(state.error) && (state.error.code === 'NETWORK' || state.error.code === 'TIMEOUT');
  useEffect(() => {
    if (unanswered) setRound((r) => r + 1);
  }, [connection.epoch]);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const setData = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, setData };
}

/** Seconds left of a countdown that starts at `seconds` (null: none). */
export function useCountdown(seconds: number | null): number {
  const [left, setLeft] = useState(seconds ?? 0);
  useEffect(() => {
    if (seconds === null) return;
    const end = Date.now() + seconds * 1000;
    setLeft(seconds);
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

/** An autosaved value: `initial` is what the server holds (null while loading). */
export function useAutosave<T>(
  initial: Confirmed<T> | { value: T; version: null } | null,
  options: Omit<AutosaveOptions<T>, 'onChange' | 'store'>,
) {
  const { host } = useSession();
  const [snapshot, setSnapshot] = useState<AutosaveSnapshot<T> | null>(null);
  const saver = useRef<Autosaver<T> | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const ready = initial !== null;

  useEffect(() => {
    if (!initial) return;
    const instance = new Autosaver<T>(initial, {
      key: options.key, store: host.unsaved, debounceMs: options.debounceMs, retryInitialMs: options.retryInitialMs,
      retryMaxMs: options.retryMaxMs,
      save: (value, version) => optionsRef.current.save(value, version),
      conflictOf: (details) => optionsRef.current.conflictOf(details),
      onChange: setSnapshot,
    });
    saver.current = instance;
    setSnapshot(instance.snapshot());
    void instance.restore();
    return () => {
      // Leaving the panel sends what is pending; the stored copy stays until the server confirms it.
      instance.dispose();
      saver.current = null;
    };
    // Recreated only for another record (key) or once its server value has loaded.
  }, [options.key, ready, host]);

  return {
    snapshot,
    edit: useCallback((value: T) => saver.current?.edit(value), []),
    flush: useCallback(() => saver.current?.flush(), []),
    retry: useCallback(() => saver.current?.retryNow(), []),
    resolve: useCallback((choice: 'mine' | 'theirs') => saver.current?.resolveConflict(choice), []),
  };
}

/** What a followed job's model has written so far (its streamed items, in order; empty when none or not followed). */
export function useJobPartials(jobId: string | null | undefined): readonly unknown[] {
  const read = useCallback(() => jobPartials.get(jobId ?? ''), [jobId]);
  return useSyncExternalStore(jobPartials.subscribe, read, read);
}

/** The newest job of a kind for the book (book-wide kinds) or the chapter, followed live; `start` launches one; survives closing the panel. */
export function useJob(kind: JobKind, bookId: string | null, chapterId: string | null, onSucceeded?: (job: Job) => void) {
  const { client, follow, touched } = useSession();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const onSucceededRef = useRef(onSucceeded);
  onSucceededRef.current = onSucceeded;

  const track = useCallback(async (started: Job) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setJob(started);
    if (TERMINAL_JOB_STATUSES.has(started.status)) return started;
    try {
      const final = await follow(started.id, (update) => !controller.signal.aborted && setJob(update), controller.signal);
      if (controller.signal.aborted) return final;
      setJob(final);
      if (final.status === 'succeeded') onSucceededRef.current?.(final);
      // What the job made changes where the book stands (the overview re-reads it).
      touched();
      return final;
    } catch (caught) {
      if (!controller.signal.aborted) setError(caught);
      return null;
    }
  }, [follow, touched]);

  // Reopening the panel finds a running job again (and the last result).
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!bookId) return;
    let live = true;
    client.listJobs({ query: { bookId, limit: 50 } }).then((page) => {
      const latest = page.items.find((j) => isJobFor(j, kind, bookId, chapterId));
      if (live && latest) void track(latest);
    }, () => undefined);
    return () => {
      live = false;
      abort.current?.abort();
    };
  }, [client, kind, bookId, chapterId, track]);

  const start = useCallback(async (launch: () => Promise<{ job: Job }>) => {
    setError(null);
    // A new start replaces the last one's outcome: its old failure is not left beside this start's own refusal.
    setJob((current) => (current && TERMINAL_JOB_STATUSES.has(current.status) ? null : current));
    try {
      const { job: started } = await launch();
      return await track(started);
    } catch (caught) {
      setError(caught);
      return null;
    }
  }, [track]);

  const cancel = useCallback(async () => {
    if (!job) return;
    try {
      setJob(await client.cancelJob({ params: { jobId: job.id } }));
    } catch (caught) {
      setError(caught);
    }
  }, [client, job]);

  const running = job !== null && !TERMINAL_JOB_STATUSES.has(job.status);
  return { job, error, running, start, cancel, clearError: () => setError(null) };
}
