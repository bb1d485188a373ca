import { ApiError } from '../../client/api-error.js';
import type { ApiClient } from '../../client/api-client.js';
import { normalizeErrorCode } from '../../errors.js';
import { JobSchema, type Job } from '../../schemas/ai.js';

/** Statuses after which a job never changes again. */
export const TERMINAL_JOB_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/** How often the polling fallback asks for the job (DESIGN: every 2 s). */
export const JOB_POLL_MS = 2_000;

/** A failed job's `error` as an ApiError, so the panels explain it by code like any other failure. */
export function jobFailure(error: { code: string; message: string }): ApiError {
  return new ApiError({ status: 0, code: normalizeErrorCode(error.code), message: error.message, serverCode: error.code });
}

/** One server-sent event. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/** Splits a text/event-stream into events as chunks arrive (comments and pings skipped). */
export function createSseParser(onEvent: (event: SseMessage) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event: SseMessage = { id: null, event: 'message', data: '' };
      let hasField = false;
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        hasField = true;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') event.data = event.data ? `${event.data}\n${value}` : value;
      }
      if (hasField) onEvent(event);
    }
  };
}

/** How long a stream may stay silent (no event, no ping: the server pings every 15 s) before it counts as lost. */
export const JOB_STREAM_IDLE_MS = 30_000;

export interface FollowJobOptions {
  client: ApiClient;
  /** API base URL and token, for the event stream (read with fetch and the Authorization header, never a URL token). */
  baseUrl: string;
  getToken: () => Promise<string | null> | string | null;
  fetch?: typeof globalThis.fetch;
  onUpdate: (job: Job) => void;
  signal?: AbortSignal;
  pollMs?: number;
  /** Silence after which the stream is given up for polling and re-opened (tests shorten it). */
  idleTimeoutMs?: number;
  /** Set false to skip the event stream and poll only. */
  useEvents?: boolean;
}

/** Whether a followed job's live connection is up or being re-established (what the progress line says). */
export type JobConnection = 'live' | 'reconnecting';

const connections = new Map<string, JobConnection>();
const connectionListeners = new Set<() => void>();
function setConnection(jobId: string, state: JobConnection | null) {
  if ((connections.get(jobId) ?? null) === state) return;
  if (state === null) connections.delete(jobId);
  else connections.set(jobId, state);
  for (const listener of connectionListeners) listener();
}

/** The connection state of a job being followed (`live` when not followed), for `useSyncExternalStore`. */
export const jobConnection = {
  get: (jobId: string): JobConnection => connections.get(jobId) ?? 'live',
  subscribe(listener: () => void): () => void {
    connectionListeners.add(listener);
    return () => connectionListeners.delete(listener);
  },
};

const partials = new Map<string, readonly unknown[]>();
const partialListeners = new Set<() => void>();
const NO_ITEMS: readonly unknown[] = Object.freeze([]);
function setPartial(jobId: string, partial: { index: number; item: unknown } | null) {
  if (partial === null) {
    if (!partials.delete(jobId)) return;
  } else {
    // A later item at the same or a lower index replaces what follows it (the model was asked again).
    const items = (partials.get(jobId) ?? []).slice(0, partial.index);
    items[partial.index] = partial.item;
    partials.set(jobId, items);
  }
  for (const listener of partialListeners) listener();
}

/** The items of the answer a followed job is writing, in order (empty when none), for `useSyncExternalStore`. */
export const jobPartials = {
  get: (jobId: string): readonly unknown[] => partials.get(jobId) ?? NO_ITEMS,
  subscribe(listener: () => void): () => void {
    partialListeners.add(listener);
    return () => partialListeners.delete(listener);
  },
};

/**
 * Follows a job until it ends and resolves with its final state. Live progress comes from the event stream; when
 * the stream breaks or stays silent past the idle timeout, the job is polled every 2 s and the stream re-opened
 * with `Last-Event-ID` (so no event is missed or repeated). A server whose stream cannot be opened is polled only.
 */
export async function followJob(jobId: string, options: FollowJobOptions): Promise<Job> {
  if (options.useEvents === false) return pollJob(jobId, options);
  let lastEventId: string | null = null;
  try {
    for (;;) {
      const streamed: StreamOutcome = await streamJob(jobId, options, lastEventId).catch(() => ({ job: null, lastEventId, opened: true }));
      if (streamed.job && TERMINAL_JOB_STATUSES.has(streamed.job.status)) return streamed.job;
      if (!streamed.opened) return await pollJob(jobId, options);
      lastEventId = streamed.lastEventId;
      setConnection(jobId, 'reconnecting');
      await pause(options.pollMs ?? JOB_POLL_MS, options.signal);
      const polled = await pollOnce(jobId, options);
      if (polled && TERMINAL_JOB_STATUSES.has(polled.status)) return polled;
    }
  } finally {
    setConnection(jobId, null);
    setPartial(jobId, null);
  }
}

type StreamOutcome = { job: Job | null; lastEventId: string | null; opened: boolean };

async function streamJob(jobId: string, options: FollowJobOptions, lastEventId: string | null): Promise<StreamOutcome> {
  aborted(options.signal);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const token = await options.getToken();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v1/jobs/${encodeURIComponent(jobId)}/events`;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let reader: ReadableStreamDefaultReader<string> | null = null;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      controller.abort();
      // Also ends a pending read on bodies that do not follow the request's signal.
      reader?.cancel().catch(() => undefined);
    }, options.idleTimeoutMs ?? JOB_STREAM_IDLE_MS);
  };
  armIdle(); // a server that never answers counts as silent too
  const outcome: StreamOutcome = { job: null, lastEventId, opened: true };
  try {
    const response = await doFetch(url, { headers, signal });
    if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // Not awaited: cancelling a tee branch (a cloned response) settles only when both branches are done.
      void response.body?.cancel().catch(() => undefined);
      return { ...outcome, opened: false };
    }
    const parse = createSseParser((event) => {
      if (!['progress', 'result', 'error'].includes(event.event)) return;
      if (event.id) outcome.lastEventId = event.id;
      try {
        outcome.job = JobSchema.parse(JSON.parse(event.data));
        if (outcome.job.partial) setPartial(jobId, outcome.job.partial);
        options.onUpdate(outcome.job);
      } catch {
        // An event this client cannot read: the poll after the stream gives the state.
      }
    });
    reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armIdle();
        setConnection(jobId, 'live');
        parse(value);
        if (outcome.job && TERMINAL_JOB_STATUSES.has(outcome.job.status)) break;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
    return outcome;
  } catch (error) {
    // The caller's abort ends following; a silent or broken stream only ends this attempt.
    aborted(options.signal);
    if (controller.signal.aborted) return outcome;
    throw error;
  } finally {
    clearTimeout(idle);
  }
}

function aborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new ApiError({ status: 0, code: 'ABORTED', message: 'Stopped following the job.' });
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** One read of the job; null after a network blip (anything else, such as a 404 or 401, is the job failing). */
async function pollOnce(jobId: string, options: FollowJobOptions): Promise<Job | null> {
  aborted(options.signal);
  try {
    const job = (await options.client.getJob({ params: { jobId }, signal: options.signal })) as Job;
    options.onUpdate(job);
    return job;
  } catch (error) {
    aborted(options.signal);
    if (!(error instanceof ApiError) || !['NETWORK', 'TIMEOUT'].includes(error.code)) throw error;
    return null;
  }
}

async function pollJob(jobId: string, options: FollowJobOptions): Promise<Job> {
  for (;;) {
    const job = await pollOnce(jobId, options);
    if (job && TERMINAL_JOB_STATUSES.has(job.status)) return job;
    await pause(options.pollMs ?? JOB_POLL_MS, options.signal);
  }
}
