// HTTP helpers for `npm run bench:ai`: seeding users and books with a ready brief, starting AI jobs and waiting
// for them on their SSE stream, and reading the OpenAI test server's counters.
import { performance } from 'node:perf_hooks';
import { callApi } from './seed.js';

/** The part of a job (GET /v1/jobs/:id, SSE `data:`) the benchmark reads. */
export interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  error: { code: string; message: string } | null;
}

export interface BenchUser {
  id: string;
  token: string;
}

/** A user created by the admin, and an API token for it. */
export async function createUser(baseUrl: string, adminToken: string, label: string): Promise<BenchUser> {
  const user = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/admin/users', adminToken, {
    email: `bench-ai-${label}-${Date.now()}@example.com`,
  });
  const { token } = await callApi<{ token: string }>(baseUrl, 'POST', `/v1/admin/users/${user.id}/tokens`, adminToken, { label });
  return { id: user.id, token };
}

/** A summary of about 70 words (the readiness rule wants 50) that embeds `tag`, so each tag is distinct content. */
export function summaryFor(tag: string): string {
  return (
    `This book (${tag}) follows a first-time manager through the first year of leading a small team. ` +
    'It covers the awkward first month, weekly one-to-one conversations, giving and receiving feedback, hiring ' +
    'the first person, handling conflict between colleagues, and the slow work of building trust. Each chapter ' +
    'pairs a real story with a routine the reader can try the following Monday, and ends with the questions the ' +
    `author wishes someone had asked her at the time (${tag}).`
  );
}

/** A book whose brief is ready for AI work: the brief (title + summary) is the AI cache input, never the id. */
export async function createReadyBook(baseUrl: string, token: string, title: string, summary: string): Promise<string> {
  const book = await callApi<{ id: string }>(baseUrl, 'POST', '/v1/books', token, { title });
  await callApi(baseUrl, 'PUT', `/v1/books/${book.id}/summary`, token, { summary });
  return book.id;
}

/** Starts an AI job (expects 202) and returns it. */
export async function startJob(baseUrl: string, token: string, path: string): Promise<JobView> {
  return (await callApi<{ job: JobView }>(baseUrl, 'POST', path, token, {})).job;
}

/** Last `data:` payload of an SSE transcript. */
function lastEvent(transcript: string): JobView | null {
  const blocks = transcript.split('\n\n').filter((block) => /^data: /m.test(block));
  const data = blocks.length > 0 ? /^data: (.*)$/m.exec(blocks[blocks.length - 1]!)?.[1] : undefined;
  return data ? (JSON.parse(data) as JobView) : null;
}

/**
 * Waits on GET /v1/jobs/:id/events, which sends the current state, then every change, and ends after the final
 * event: the stream closing is the moment the job finished (no polling interval in the figure).
 */
export async function waitForJob(baseUrl: string, token: string, jobId: string, timeoutMs: number): Promise<JobView> {
  const response = await fetch(new URL(`/v1/jobs/${jobId}/events`, baseUrl), {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /v1/jobs/${jobId}/events answered ${response.status}: ${text.slice(0, 500)}`);
  const job = lastEvent(text);
  if (!job) throw new Error(`The event stream of job ${jobId} ended without an event`);
  return job;
}

/** POST a generation, then wait for its job to end; `ms` is end to end, from sending the POST to the final event. */
export async function generateAndWait(baseUrl: string, token: string, path: string, timeoutMs: number): Promise<{ job: JobView; ms: number }> {
  const started = performance.now();
  const job = await startJob(baseUrl, token, path);
  const done = await waitForJob(baseUrl, token, job.id, timeoutMs);
  const ms = performance.now() - started;
  if (done.status !== 'succeeded') {
    throw new Error(`Job ${job.id} (${path}) ended ${done.status}: ${done.error ? `${done.error.code} ${done.error.message}` : 'no error'}`);
  }
  return { job: done, ms };
}

/** GET /__test/stats of the OpenAI test server: chat-completion requests received so far. */
export async function upstreamCalls(testServerUrl: string): Promise<number> {
  const response = await fetch(new URL('/__test/stats', testServerUrl), { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET /__test/stats answered ${response.status}`);
  return ((await response.json()) as { calls: number }).calls;
}

/** Nearest-rank percentile of a list of numbers (p in 0–100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `work` on every item with at most `limit` running at once. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
