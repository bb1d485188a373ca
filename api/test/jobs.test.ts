import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorClient, holdJobPool, openStoreFile } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { openEventStream, until } from './helpers/sse-client.js';
import { buildTestApp, errorOf, openStoreOf, type TestApp } from './helpers/test-app.js';
import type { JobPatch, JobStatus } from '../src/stores/engine-types.js';

interface JobView {
  id: string;
  kind: string;
  status: string;
  progress: number;
  stage: string | null;
  bookId: string;
  chapterId: string | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string; retryable: boolean } | null;
  createdAt: string;
  updatedAt: string;
}

const JOB_KEYS = ['bookId', 'chapterId', 'createdAt', 'error', 'id', 'kind', 'partial', 'progress', 'result', 'stage', 'status', 'updatedAt'];
const ENV = { JOBS_CONCURRENCY: '1', RATE_LIMIT_AI_PER_MIN: '100000' };

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let a: ReturnType<typeof authorClient>;
let bookId: string;
let chapterId: string;
let otherChapterId: string;

beforeAll(async () => {
  t = await buildTestApp(ENV);
  alice = await t.newUser();
  bob = await t.newUser();
  a = authorClient(t, alice.token);
  bookId = await a.book('Jobs');
  for (const title of ['First chapter', 'Second chapter']) {
    const chapter = await a.chapter(bookId, title);
    const [q1, q2] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, q1!.id, 'Maria asked her nurse what had surprised her that week.');
    await a.answer(bookId, chapter.id, q2!.id, 'Listening for two minutes changed the meeting.');
    if (title === 'First chapter') chapterId = chapter.id;
    else otherChapterId = chapter.id;
  }
});
afterAll(() => t.close());

const draftUrl = (chapter: string) => `/v1/books/${bookId}/chapters/${chapter}/drafts/generate`;
const listJobs = async (query: string) => (await a.call('GET', `/v1/jobs?${query}`)).json<{ items: JobView[]; nextCursor: string | null }>();

describe('job starts and reads', () => {
  it('answers 202 { job } and GET /v1/jobs/:jobId follows it to its result', async () => {
    const started = await a.call('POST', `/v1/books/${bookId}/interview/generate`, {});
    expect(started.statusCode, started.body).toBe(202);
    const body = started.json<{ job: JobView }>();
    expect(Object.keys(body)).toEqual(['job']);
    expect(Object.keys(body.job).sort()).toEqual(JOB_KEYS);
    expect(body.job).toMatchObject({ kind: 'interview.generate', bookId, chapterId: null, result: null, error: null });
    expect(body.job.id).toMatch(/^job_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(['queued', 'running', 'succeeded']).toContain(body.job.status);
    expect(body.job.progress).toBeGreaterThanOrEqual(0);

    const done = await waitForJob(t, alice.token, body.job.id);
    expect(Object.keys(done).sort()).toEqual(JOB_KEYS);
    expect(done).toMatchObject({ id: body.job.id, status: 'succeeded', progress: 100, error: null });
    expect((done.result.questionIds as string[]).length).toBeGreaterThanOrEqual(3);

    for (const [method, url] of [['GET', `/v1/jobs/${body.job.id}`], ['POST', `/v1/jobs/${body.job.id}/cancel`], ['GET', `/v1/jobs/${body.job.id}/events`]] as const) {
      const foreign = await t.as(bob.token, { method, url });
      expect(foreign.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(foreign).code).toBe('NOT_FOUND');
    }
    expect((await t.as(bob.token, { method: 'GET', url: '/v1/jobs' })).json().items).toEqual([]);
    const malformed = await a.call('GET', '/v1/jobs/job_not-an-id');
    expect(malformed.statusCode).toBe(404);
    expect(errorOf(malformed).code).toBe('NOT_FOUND');
    const anonymous = await t.app.inject({ method: 'GET', url: `/v1/jobs/${body.job.id}` });
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous).code).toBe('UNAUTHORIZED');
  });
});

describe('active jobs, cancel and events (the pool held by one running job, JOBS_CONCURRENCY=1)', () => {
  let base: string;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  it('one active job per (user, kind, target); cancel; active list; SSE progress…result and resume', async () => {
    const finishedBefore = (await listJobs(`bookId=${bookId}&limit=100`)).items;
    const hold = await holdJobPool(t);
    try {
      const first = await a.call('POST', draftUrl(chapterId), { style: 'professional', targetWords: 600 });
      expect(first.statusCode, first.body).toBe(202);
      const draftJob = first.json<{ job: JobView }>().job;
      expect(draftJob.status).toBe('queued');

      const again = await a.call('POST', draftUrl(chapterId), { style: 'professional', targetWords: 600 });
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json<{ job: JobView }>().job).toMatchObject({ id: draftJob.id, status: 'queued' });

      const different = await a.call('POST', draftUrl(chapterId), { style: 'professional', targetWords: 900 });
      expect(different.statusCode).toBe(409);
      expect(errorOf(different)).toMatchObject({ code: 'JOB_ACTIVE', details: { jobId: draftJob.id } });

      // Other targets and other kinds are other jobs.
      const otherDraft = (await a.call('POST', draftUrl(otherChapterId), { style: 'professional', targetWords: 600 })).json<{ job: JobView }>().job;
      const questionsJob = (await a.call('POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, { count: 5 })).json<{ job: JobView }>().job;
      expect(new Set([draftJob.id, otherDraft.id, questionsJob.id]).size).toBe(3);

      const active = await listJobs(`bookId=${bookId}&active=true&limit=100`);
      expect(active.items.map((j) => j.id).sort()).toEqual([draftJob.id, otherDraft.id, questionsJob.id].sort());
      expect(active.items.every((j) => j.status === 'queued')).toBe(true);
      expect(active.nextCursor).toBeNull();
      const everything = await listJobs(`bookId=${bookId}&limit=100`);
      expect(everything.items).toHaveLength(finishedBefore.length + 3);
      expect((await t.as(bob.token, { method: 'GET', url: `/v1/jobs?bookId=${bookId}&active=true` })).json().items).toEqual([]);

      // Cancel a queued job.
      const cancelled = await a.call('POST', `/v1/jobs/${questionsJob.id}/cancel`);
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json<JobView>()).toMatchObject({ id: questionsJob.id, status: 'cancelled' });
      expect((await a.call('GET', `/v1/jobs/${questionsJob.id}`)).json<JobView>().status).toBe('cancelled');
      expect((await a.call('POST', `/v1/jobs/${questionsJob.id}/cancel`)).json<JobView>().status).toBe('cancelled');
      expect((await listJobs(`bookId=${bookId}&active=true`)).items.map((j) => j.id).sort()).toEqual([draftJob.id, otherDraft.id].sort());

      // Events over real HTTP with the Authorization header: the current state first…
      const stream = await openEventStream(`${base}/v1/jobs/${draftJob.id}/events`, alice.token);
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await until(() => stream.events.length > 0, 5_000, 'the first event');
      expect(stream.events[0]).toMatchObject({ event: 'progress' });
      expect(JSON.parse(stream.events[0]!.data)).toMatchObject({ id: draftJob.id, status: 'queued' });
      const cancelledStream = await openEventStream(`${base}/v1/jobs/${questionsJob.id}/events`, alice.token);
      const cancelledEvents = await cancelledStream.ended;
      expect(cancelledEvents).toHaveLength(1);
      expect(cancelledEvents[0]!.event).toBe('error');
      expect(JSON.parse(cancelledEvents[0]!.data)).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED', retryable: true } });

      // …then every change once the pool frees up, ending with the result.
      hold.release();
      const events = await stream.ended;
      expect(events.length).toBeGreaterThanOrEqual(3);
      expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
      const last = events[events.length - 1]!;
      expect(last.event).toBe('result');
      const final = JSON.parse(last.data) as JobView;
      expect(final).toMatchObject({ id: draftJob.id, status: 'succeeded', progress: 100 });
      expect(typeof final.result?.draftId).toBe('string');
      expect(events.every((e) => typeof e.id === 'string' && e.id.length > 0)).toBe(true);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      const progress = events.map((e) => (JSON.parse(e.data) as JobView).progress);
      expect(progress).toEqual([...progress].sort((x, y) => x - y));
      expect(events.some((e) => (JSON.parse(e.data) as JobView).status === 'running')).toBe(true);

      // Event ids are the job's event sequence numbers: the stream opened on the queued job saw every one.
      expect(events.map((e) => Number(e.id))).toEqual(events.map((_, index) => index + 1));
      // Reconnecting with any Last-Event-ID replays exactly the events after it, once each, in order; on the final
      // one, the final event again, so the client learns the outcome; the stream then ends.
      for (const [index, event] of events.entries()) {
        const resumed = await openEventStream(`${base}/v1/jobs/${draftJob.id}/events`, alice.token, event.id!);
        const expected = index === events.length - 1 ? [last] : events.slice(index + 1);
        expect(await resumed.ended, `after ${event.id}`).toEqual(expected);
      }
      // An id that is not one of ours is no id: the current (final) state.
      const foreignId = await openEventStream(`${base}/v1/jobs/${draftJob.id}/events`, alice.token, '1733500000000-40-running');
      expect(await foreignId.ended).toEqual([last]);
      const unauthenticated = await fetch(`${base}/v1/jobs/${draftJob.id}/events`);
      expect(unauthenticated.status).toBe(401);
      const foreign = await fetch(`${base}/v1/jobs/${draftJob.id}/events`, { headers: { authorization: `Bearer ${bob.token}` } });
      expect(foreign.status).toBe(404);
      expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');

      await waitForJob(t, alice.token, otherDraft.id);
      await until(() => t.app.services.jobs.stats().running === 0, 5_000, 'the pool to drain');
      expect((await listJobs(`bookId=${bookId}&active=true`)).items).toEqual([]);
      // A cancelled job no longer blocks its target.
      const restarted = await runJob(t, alice.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, { count: 5 });
      expect(restarted.id).not.toBe(questionsJob.id);
    } finally {
      hold.release();
    }
  });
});

/**
 * Plays a crash after the app closed: `crash` puts a job back in the state a killed process would have left it in,
 * through the Store interface (the job's record, as a transition of any status).
 */
async function leftBehind(t: TestApp, play: (crash: (jobId: string, patch: JobPatch) => Promise<unknown>) => Promise<unknown>) {
  const store = await openStoreOf(t);
  try {
    const anyStatus: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
    await play((jobId, patch) => store.jobs.transition(jobId, { statuses: anyStatus }, patch, 'progress', new Date().toISOString()));
  } finally {
    await store.close();
  }
}

describe('restart', () => {
  it('fails interrupted jobs whose lease expired (retryable) and leaves live leases alone', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-jobs-restart-'));
    try {
      const before = await buildTestApp(ENV, { dataDir });
      const author = await before.newUser();
      const c = authorClient(before, author.token);
      const book = await c.book('Restarted');
      const chapter = await c.chapter(book, 'Only chapter');
      const interrupted = await runJob(before, author.token, 'POST', `/v1/books/${book}/interview/generate`);
      const live = await runJob(before, author.token, 'POST', `/v1/books/${book}/toc/generate`);
      const queued = await runJob(before, author.token, 'POST', `/v1/books/${book}/chapters/${chapter.id}/questions/generate`, { count: 5 });
      const untouched = await runJob(before, author.token, 'POST', `/v1/books/${book}/interview/generate`, { fresh: true });
      await before.close();

      await leftBehind(before, async (crash) => {
        const midway = { progress: 40, stage: 'asking the model', result: null };
        await crash(interrupted.id, { status: 'running', leaseUntil: new Date(Date.now() - 60_000).toISOString(), ...midway });
        await crash(live.id, { status: 'running', leaseUntil: new Date(Date.now() + 10 * 60_000).toISOString(), ...midway });
        await crash(queued.id, { status: 'queued', leaseUntil: null, ...midway });
      });

      const after = await buildTestApp(ENV, { dataDir });
      try {
        const read = async (jobId: string) => (await after.as(author.token, { method: 'GET', url: `/v1/jobs/${jobId}` })).json<JobView>();
        expect(await read(interrupted.id)).toMatchObject({ status: 'failed', result: null, error: { code: 'JOB_INTERRUPTED', retryable: true } });
        expect((await read(interrupted.id)).error!.message).not.toBe('');
        expect(await read(live.id)).toMatchObject({ status: 'running', progress: 40, error: null });
        // A queued job belonged to the old process's queue: it will never run, so it is failed too.
        expect(await read(queued.id)).toMatchObject({ status: 'failed', error: { retryable: true } });
        expect(await read(untouched.id)).toMatchObject({ status: 'succeeded', error: null });
        const active = (await after.as(author.token, { method: 'GET', url: `/v1/jobs?bookId=${book}&active=true` })).json<{ items: JobView[] }>();
        expect(active.items.map((j) => j.id)).toEqual([live.id]);
        // The failed job's target is free again.
        const retried = await runJob(after, author.token, 'POST', `/v1/books/${book}/interview/generate`);
        expect(retried.id).not.toBe(interrupted.id);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a stream on a job that ended before job events were stored gets its final state from the record', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-jobs-old-'));
    try {
      const before = await buildTestApp(ENV, { dataDir });
      const author = await before.newUser();
      const book = await authorClient(before, author.token).book('Older than events');
      const job = await runJob(before, author.token, 'POST', `/v1/books/${book}/interview/generate`);
      await before.close();
      const db = openStoreFile(dataDir);
      try {
        db.prepare('DELETE FROM job_events WHERE jobId = ?').run(job.id);
      } finally {
        db.close();
      }
      const after = await buildTestApp(ENV, { dataDir });
      try {
        await after.app.listen({ port: 0, host: '127.0.0.1' });
        const stream = await openEventStream(`http://127.0.0.1:${(after.app.server.address() as AddressInfo).port}/v1/jobs/${job.id}/events`, author.token);
        const events = await stream.ended;
        expect(events).toHaveLength(1);
        expect(events[0]!.event).toBe('result');
        expect(JSON.parse(events[0]!.data)).toMatchObject({ id: job.id, status: 'succeeded' });
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a job left running by a crashed process is failed once its lease runs out, not only at start-up', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-jobs-lease-'));
    try {
      const before = await buildTestApp(ENV, { dataDir });
      const author = await before.newUser();
      const book = await authorClient(before, author.token).book('Crashed moments ago');
      const job = await runJob(before, author.token, 'POST', `/v1/books/${book}/toc/generate`);
      await before.close();
      // A crash a moment ago: the lease has not run out when the new process starts.
      const leaseEnd = Date.now() + 1_500;
      await leftBehind(before, (crash) => crash(job.id, { status: 'running', leaseUntil: new Date(leaseEnd).toISOString(), result: null }));
      // Short lease and heartbeat (as any deployment may set them), so the sweep comes round within a second.
      const after = await buildTestApp({ ...ENV, JOB_LEASE_MS: '1000', JOB_HEARTBEAT_MS: '200' }, { dataDir });
      try {
        const read = async () => (await after.as(author.token, { method: 'GET', url: `/v1/jobs/${job.id}` })).json<JobView>();
        expect((await read()).status).toBe('running');
        // Within a heartbeat period after the lease ran out, nobody holds it: failed, retryable.
        const deadline = leaseEnd + 5_000;
        let state = await read();
        while (state.status === 'running' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          state = await read();
        }
        expect(state, 'zombie job still running after its lease expired').toMatchObject({ status: 'failed', error: { retryable: true } });
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 20_000);
});
