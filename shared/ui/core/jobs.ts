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

export interface FollowJobOptions {
  client: ApiClient;
  /** API base URL and token, for the event stream (read with fetch and the Authorization header, never a URL token). */
  baseUrl: string;
  getToken: () => Promise<string | null> | string | null;
  fetch?: typeof globalThis.fetch;
  onUpdate: (job: Job) => void;
  signal?: AbortSignal;
  pollMs?: number;
  /** Set false to skip the event stream and poll only. */
  useEvents?: boolean;
}

/**
 * Follows a job until it ends and resolves with its final state: live progress from the event stream, and polling
 * every 2 s when the stream cannot be opened or breaks (proxies, old servers).
 */
export async function followJob(jobId: string, options: FollowJobOptions): Promise<Job> {
  if (options.useEvents !== false) {
    const streamed = await streamJob(jobId, options).catch(() => null);
    if (streamed && TERMINAL_JOB_STATUSES.has(streamed.status)) return streamed;
  }
  return pollJob(jobId, options);
}

async function streamJob(jobId: string, options: FollowJobOptions): Promise<Job | null> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const token = await options.getToken();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v1/jobs/${encodeURIComponent(jobId)}/events`;
  const response = await doFetch(url, { headers, signal: options.signal });
  if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    // Not awaited: cancelling a tee branch (a cloned response) settles only when both branches are done.
    void response.body?.cancel().catch(() => undefined);
    return null;
  }
  let last: Job | null = null;
  const parse = createSseParser((event) => {
    if (!['progress', 'result', 'error'].includes(event.event)) return;
    try {
      const job = JobSchema.parse(JSON.parse(event.data));
      last = job;
      options.onUpdate(job);
    } catch {
      // An event this client cannot read: the poll after the stream gives the state.
    }
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parse(value);
      if (last && TERMINAL_JOB_STATUSES.has((last as Job).status)) break;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return last;
}

async function pollJob(jobId: string, options: FollowJobOptions): Promise<Job> {
  const pollMs = options.pollMs ?? JOB_POLL_MS;
  for (;;) {
    if (options.signal?.aborted) throw new ApiError({ status: 0, code: 'ABORTED', message: 'Stopped following the job.' });
    try {
      const job = (await options.client.getJob({ params: { jobId }, signal: options.signal })) as Job;
      options.onUpdate(job);
      if (TERMINAL_JOB_STATUSES.has(job.status)) return job;
    } catch (error) {
      // A blip while polling is not the job failing; anything else (404, 401) is.
      if (!(error instanceof ApiError) || !['NETWORK', 'TIMEOUT'].includes(error.code)) throw error;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
