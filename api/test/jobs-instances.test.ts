import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY } from './helpers/journey.js';
import { freePort, hasRedisServer, startRedis, stopRedis } from './helpers/redis-server.js';
import { killAllStarted, killHard, startServer, type ServerProcess } from './helpers/server-process.js';
import { openEventStream, until } from './helpers/sse-client.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * Jobs across restarts and instances, with real server processes: the store is the one source of job truth, so a
 * stream re-attached after a crash, or opened on another instance, sees every event and the final state; a cancel
 * sent to any instance stops the work where it runs.
 */

const ADMIN_TOKEN = 'aa_jobs-instances-admin-token-0123456789';
const LEASE_MS = 2_000;
const HEARTBEAT_MS = 200;

interface JobView {
  id: string;
  status: string;
  progress: number;
  error: { code: string; message: string; retryable: boolean } | null;
  result: Record<string, unknown> | null;
}

let root: string;
let ai: OpenAiTestServer;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'aa-jobs-instances-'));
  ai = await startOpenAiTestServer();
});
afterAll(async () => {
  await killAllStarted();
  await ai?.close();
  rmSync(root, { recursive: true, force: true });
});

function serverEnv(extra: Record<string, string> = {}) {
  return {
    ...openAiTestEnv(ai, { AI_TIMEOUT_MS: '60000', AI_MAX_RETRIES: '0' }),
    LOG_LEVEL: 'warn', ADMIN_TOKEN, RATE_LIMIT_DEFAULT_PER_MIN: '100000',
    JOB_LEASE_MS: String(LEASE_MS), JOB_HEARTBEAT_MS: String(HEARTBEAT_MS), ...extra,
  };
}

async function call<T>(server: ServerProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(server.url + url, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function must<T>(server: ServerProcess, method: string, url: string, status: number, body?: unknown): Promise<T> {
  const response = await call<T>(server, method, url, body);
  if (response.status !== status) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}\n${server.output()}`);
  return response.body;
}

/** A book whose brief is ready for AI work, with one chapter. */
async function readyBook(server: ServerProcess) {
  const book = await must<{ id: string }>(server, 'POST', '/v1/books', 201, { title: 'Calm one-to-ones' });
  await must(server, 'PUT', `/v1/books/${book.id}/summary`, 200, { summary: SUMMARY });
  const chapter = await must<{ id: string }>(server, 'POST', `/v1/books/${book.id}/chapters`, 201, { title: 'The first month' });
  return { bookId: book.id, chapterId: chapter.id };
}

const reserved = async (server: ServerProcess) => (await must<{ daily: { reserved: number } }>(server, 'GET', '/v1/me/usage', 200)).daily.reserved;
const jobOf = (data: string) => JSON.parse(data) as JobView;
const stream = (server: ServerProcess, jobId: string, lastEventId?: string) => openEventStream(`${server.url}/v1/jobs/${jobId}/events`, ADMIN_TOKEN, lastEventId);

describe('a job running when its server is SIGKILLed', () => {
  it('ends, after a restart, with a final retryable error on the re-attached stream, and its reservation released', async () => {
    const dataDir = mkdtempSync(path.join(root, 'restart-'));
    ai.reset();
    ai.pause(); // the model call stays in flight until the kill
    let server = await startServer(dataDir, serverEnv());
    const { bookId } = await readyBook(server);
    const { job } = await must<{ job: JobView }>(server, 'POST', `/v1/books/${bookId}/interview/generate`, 202, {});
    await ai.waitForCalls(1);
    expect(await reserved(server)).toBeGreaterThan(0);
    const before = await stream(server, job.id);
    const beforeEnded = before.ended.catch(() => undefined); // the connection will die with the server
    await until(() => before.events.some((e) => jobOf(e.data).status === 'running'), 5_000, 'the running event');
    const lastSeen = before.events[before.events.length - 1]!.id!;

    await killHard(server);
    await beforeEnded;
    ai.resume();
    server = await startServer(dataDir, serverEnv());
    const after = await stream(server, job.id, lastSeen);
    const events = await after.ended;
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => Number(lastSeen) + 1 + i));
    const last = events[events.length - 1]!;
    expect(last.event).toBe('error');
    expect(jobOf(last.data)).toMatchObject({ id: job.id, status: 'failed', error: { retryable: true } });
    expect(await reserved(server)).toBe(0);
    // The model never answered, so nothing was charged; the job is final everywhere.
    expect((await must<{ month: { calls: number } }>(server, 'GET', '/v1/me/usage', 200)).month.calls).toBe(0);
    expect(await must<JobView>(server, 'GET', `/v1/jobs/${job.id}`, 200)).toMatchObject({ status: 'failed' });
  }, 60_000);
});

describe.skipIf(!hasRedisServer)('two instances on one Redis and one SQLite file', () => {
  let redis: ChildProcess | null = null;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const dataDir = mkdtempSync(path.join(root, 'shared-'));
    const env = serverEnv({ REDIS_URL: `redis://127.0.0.1:${port}` });
    a = await startServer(dataDir, env);
    b = await startServer(dataDir, env);
  }, 60_000);
  afterAll(async () => {
    await killAllStarted();
    await stopRedis(redis);
  });

  it('a job started on A is followed over SSE from B to its result', async () => {
    ai.reset();
    ai.pause();
    const { bookId } = await readyBook(a);
    const { job } = await must<{ job: JobView }>(a, 'POST', `/v1/books/${bookId}/toc/generate`, 202, {});
    await ai.waitForCalls(1);
    const onB = await stream(b, job.id);
    await until(() => onB.events.length > 0, 5_000, 'the first event on B');
    ai.resume();
    const events = await onB.ended;
    const last = events[events.length - 1]!;
    expect(last.event).toBe('result');
    expect(jobOf(last.data)).toMatchObject({ id: job.id, status: 'succeeded', progress: 100 });
    expect(typeof jobOf(last.data).result?.proposalId).toBe('string');
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
  }, 30_000);

  it('a cancel sent to B stops the work on A: the model call in flight is aborted, none follows, and it stays cancelled', async () => {
    ai.reset();
    ai.pause();
    // Two of eight questions: the job would ask the model again for the missing six after this call.
    ai.generator('chapter_questions', ({ data }) => ({
      questions: [0, 1].map((i) => ({ text: `Question ${i + 1} about ${(data.chapter as { title: string }).title}?`, helpText: null, lens: 'reader', suggestedWords: 80 })),
    }));
    const { bookId, chapterId } = await readyBook(a);
    const { job } = await must<{ job: JobView }>(a, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, 202, { count: 8 });
    await ai.waitForCalls(1);
    const onB = await stream(b, job.id);

    const cancelled = await must<JobView>(b, 'POST', `/v1/jobs/${job.id}/cancel`, 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED', retryable: true } });
    const last = (await onB.ended).at(-1)!;
    expect(last.event).toBe('error');
    expect(jobOf(last.data)).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED' } });
    // A aborted its upstream call when it saw the flag.
    await until(() => ai.requests.some((r) => r.aborted), 5_000, 'the upstream call to be aborted');
    ai.resume();
    // Several heartbeats and leases later: no further model call, and the status was never overwritten.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 4 * HEARTBEAT_MS));
    expect(ai.calls()).toBe(1);
    for (const server of [a, b]) expect(await must<JobView>(server, 'GET', `/v1/jobs/${job.id}`, 200)).toMatchObject({ status: 'cancelled' });
    expect(await reserved(a)).toBe(0);
  }, 30_000);
});
