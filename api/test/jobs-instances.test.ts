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
async function readyBook(server: ServerProcess, title = 'Calm one-to-ones') {
  const book = await must<{ id: string }>(server, 'POST', '/v1/books', 201, { title });
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

describe.skipIf(!hasRedisServer)('two instances on one Redis (BullMQ) and one SQLite file', () => {
  let redis: ChildProcess | null = null;
  let a: ServerProcess;
  let b: ServerProcess;
  // Each instance calls the model by its own name, so the model server tells which instance runs a job.
  const MODELS = { a: 'model-a', b: 'model-b' };
  const prices = JSON.stringify({ [MODELS.a]: { input: 2, output: 8 }, [MODELS.b]: { input: 2, output: 8 } });
  /** The instance whose worker runs the job that made the first model call, and the other one. */
  const runnerAndOther = () => (ai.requests.find((r) => r.schemaName)?.model === MODELS.a ? [a, b] : [b, a]) as [ServerProcess, ServerProcess];

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const dataDir = mkdtempSync(path.join(root, 'shared-'));
    const env = (model: string) => serverEnv({ REDIS_URL: `redis://127.0.0.1:${port}`, AI_MODELS: model, AI_PRICES: prices });
    a = await startServer(dataDir, env(MODELS.a));
    b = await startServer(dataDir, env(MODELS.b));
  }, 60_000);
  afterAll(async () => {
    await killAllStarted();
    await stopRedis(redis);
  });

  it('a job started on A is followed over SSE from the other instance to its result', async () => {
    ai.reset();
    ai.pause();
    const { bookId } = await readyBook(a);
    const { job } = await must<{ job: JobView }>(a, 'POST', `/v1/books/${bookId}/toc/generate`, 202, {});
    await ai.waitForCalls(1);
    const [, other] = runnerAndOther();
    const followed = await stream(other, job.id);
    await until(() => followed.events.length > 0, 5_000, 'the first event on the other instance');
    ai.resume();
    const events = await followed.ended;
    const last = events[events.length - 1]!;
    expect(last.event).toBe('result');
    expect(jobOf(last.data)).toMatchObject({ id: job.id, status: 'succeeded', progress: 100 });
    expect(typeof jobOf(last.data).result?.proposalId).toBe('string');
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
  }, 30_000);

  it('a cancel sent to the other instance stops the work where it runs: the model call in flight is aborted, none follows, it stays cancelled', async () => {
    ai.reset();
    ai.pause();
    // Two of eight questions: the job would ask the model again for the missing six after this call.
    ai.generator('chapter_questions', ({ data }) => ({
      questions: [0, 1].map((i) => ({ text: `Question ${i + 1} about ${(data.chapter as { title: string }).title}?`, helpText: null, lens: 'reader', suggestedWords: 80 })),
    }));
    const { bookId, chapterId } = await readyBook(a);
    const { job } = await must<{ job: JobView }>(a, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, 202, { count: 8 });
    await ai.waitForCalls(1);
    const [runner, other] = runnerAndOther();
    const followed = await stream(other, job.id);

    const cancelled = await must<JobView>(other, 'POST', `/v1/jobs/${job.id}/cancel`, 200);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED', retryable: true } });
    const last = (await followed.ended).at(-1)!;
    expect(last.event).toBe('error');
    expect(jobOf(last.data)).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED' } });
    // The runner aborted its upstream call when it saw the flag.
    await until(() => ai.requests.some((r) => r.aborted), 5_000, 'the upstream call to be aborted');
    ai.resume();
    // Several heartbeats and leases later: no further model call, and the status was never overwritten.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 4 * HEARTBEAT_MS));
    expect(ai.calls()).toBe(1);
    for (const server of [runner, other]) expect(await must<JobView>(server, 'GET', `/v1/jobs/${job.id}`, 200)).toMatchObject({ status: 'cancelled' });
    expect(await reserved(a)).toBe(0);
  }, 30_000);

  it('at most 2 jobs of one user run at once across the instances; the third waits its turn', async () => {
    ai.reset();
    ai.pause();
    // Distinct books: identical requests would share one model call.
    const books = await Promise.all([1, 2, 3].map((n) => readyBook(a, `Calm one-to-ones, part ${n}`)));
    const started = await Promise.all(books.map(({ bookId }, i) => must<{ job: JobView }>(i % 2 ? b : a, 'POST', `/v1/books/${bookId}/toc/generate`, 202, {})));
    await ai.waitForCalls(2);
    // Both workers have free slots (JOBS_CONCURRENCY 4 each) and retry the third every second: it must not start.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(ai.calls('toc_proposal')).toBe(2);
    const states = await Promise.all(started.map(({ job }) => must<JobView>(a, 'GET', `/v1/jobs/${job.id}`, 200)));
    expect(states.map((j) => j.status).sort()).toEqual(['queued', 'running', 'running']);
    ai.resume();
    for (const { job } of started) {
      const deadline = Date.now() + 15_000;
      let state = await must<JobView>(b, 'GET', `/v1/jobs/${job.id}`, 200);
      while (state.status !== 'succeeded' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await must<JobView>(b, 'GET', `/v1/jobs/${job.id}`, 200);
      }
      expect(state.status).toBe('succeeded');
    }
    expect(ai.calls('toc_proposal')).toBe(3);
  }, 40_000);

  it('killing the instance that runs a job: the other recovers it (or fails it retryable), never left running, never charged twice', async () => {
    ai.reset();
    ai.pause();
    const { bookId } = await readyBook(a, 'Calm one-to-ones, the instance that died');
    const callsBefore = (await must<{ month: { calls: number } }>(a, 'GET', '/v1/me/usage', 200)).month.calls;
    const { job } = await must<{ job: JobView }>(a, 'POST', `/v1/books/${bookId}/interview/generate`, 202, {});
    await ai.waitForCalls(1);
    const [runner, survivor] = runnerAndOther();
    const survivorModel = runner === a ? MODELS.b : MODELS.a;
    await killHard(runner);
    // The model server has seen the dead instance's connection close (its call can never be answered).
    await until(() => ai.requests.some((r) => r.aborted), 5_000, 'the dead instance\'s call to be dropped');
    ai.resume();

    const deadline = Date.now() + 20_000;
    let final = await must<JobView>(survivor, 'GET', `/v1/jobs/${job.id}`, 200);
    while (!['succeeded', 'failed', 'cancelled'].includes(final.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = await must<JobView>(survivor, 'GET', `/v1/jobs/${job.id}`, 200);
    }
    expect(['succeeded', 'failed'], `job still ${final.status}`).toContain(final.status);
    const answered = ai.requests.filter((r) => r.schemaName === 'kickoff_interview' && r.status === 200);
    if (final.status === 'succeeded') {
      // Recovered by BullMQ on the survivor, which asked the model again: one answered call, charged once.
      expect(answered.map((r) => r.model)).toEqual([survivorModel]);
    } else {
      expect(final.error).toMatchObject({ retryable: true });
      expect(answered).toEqual([]);
    }
    const usage = await must<{ daily: { reserved: number }; month: { calls: number } }>(survivor, 'GET', '/v1/me/usage', 200);
    expect(usage.daily.reserved).toBe(0);
    expect(usage.month.calls - callsBefore).toBe(answered.length);
    // Later deliveries or sweeps change nothing: no more model calls, the same final state.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 4 * HEARTBEAT_MS));
    expect(ai.calls('kickoff_interview')).toBe(1 + answered.length);
    expect(await must<JobView>(survivor, 'GET', `/v1/jobs/${job.id}`, 200)).toMatchObject({ status: final.status });
  }, 40_000);
});
