import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { decideJobCreate, ENDED_JOB_RETENTION_DAYS, JOB_PURGE } from '../src/services/job-rules.js';
import { holdJobPool } from './helpers/engine-fixtures.js';
import { exportBook } from './helpers/export-fixtures.js';
import { jobRecord } from './stores/contract/engine-fixtures.js';
import { chapterReadyToDraft, runJob, waitForJob } from './helpers/journey.js';
import { bookWithInterviewJob, DAY_MS, endedStatus, movedClock, restartedWithLogLines } from './helpers/retention-fixtures.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, step, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * Retention of jobs: those that ended over ENDED_JOB_RETENTION_DAYS ago go with their events; queued, running and
 * recently ended ones stay; the ledger (quota, usage reports) is untouched; a deleted job reads as 404 everywhere.
 */

/** The app's clock: real time plus an offset the tests move forward in days. */
const { offset, clock } = movedClock();

type JobView = { id: string; status: string };

describe('the sweep of ended jobs (real app, OpenAI-compatible test server, moved clock)', () => {
  let server: OpenAiTestServer;
  let t: TestApp;
  /** Releases of the jobs holding the pool, also called when a test failed before it released them. */
  const holds: Array<() => void> = [];
  const hold = async () => {
    const held = await holdJobPool(t);
    holds.push(held.release);
    return held;
  };
  beforeAll(async () => {
    server = await startOpenAiTestServer();
    // One job at a time (a held job keeps others queued); no heartbeat while the clock jumps (leases stay as they are).
    t = await buildTestApp(openAiTestEnv(server, { JOBS_CONCURRENCY: '1', JOB_HEARTBEAT_MS: '600000', JOB_LEASE_MS: '3600000', AI_TIMEOUT_MS: '15000' }), { clock });
  }, 60_000);
  afterAll(async () => {
    offset.ms = 0;
    for (const release of holds) release();
    await t?.close();
    await server?.close();
  });

  it('deletes jobs ended over 30 days ago with their events; active and recent ones stay; ledger, quota and usage figures do not change', async () => {
    expect(ENDED_JOB_RETENTION_DAYS).toBe(30);
    expect(ENDED_JOB_RETENTION_DAYS).toBeGreaterThan(LIMITS.exportRetentionDays); // an export never outlives its job
    const { user, api, book, base } = await chapterReadyToDraft(t);
    const start = async (url: string, payload: object) => {
      const started = await api('POST', url, payload);
      expect(started.statusCode, started.body).toBe(202);
      return started.json<{ job: JobView }>().job;
    };

    // Day 0: jobs that end — succeeded (questions, draft, interview), failed (the model refuses), cancelled.
    await runJob(t, user.token, 'POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 600 });
    await runJob(t, user.token, 'POST', `/v1/books/${book.id}/interview/generate`, {});
    server.script('*', [step.badRequest()]);
    const failed = await waitForJob(t, user.token, (await start(`/v1/books/${book.id}/toc/generate`, {})).id);
    expect(failed.status).toBe('failed');
    const firstHold = await hold();
    const cancelled = await start(`${base}/questions/generate`, { count: 5 });
    expect((await api('POST', `/v1/jobs/${cancelled.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });
    firstHold.release();
    expect(await endedStatus(t, firstHold.jobId)).toBe('succeeded');
    const old = [...(await api('GET', `/v1/jobs?limit=100`)).json<{ items: JobView[] }>().items.map((job) => job.id), firstHold.jobId];
    expect(old).toHaveLength(6);
    for (const id of old) expect((await t.app.store.jobs.events(id, 0)).length).toBeGreaterThanOrEqual(2);

    // Day 10: a running job and a queued one (holding its quota reservation) that are still active 31 days later.
    offset.ms = 10 * DAY_MS;
    const secondHold = await hold();
    const queued = await start(`${base}/drafts/generate`, { style: 'academic', targetWords: 900 });
    expect(queued.status).toBe('queued');
    // Day 12: a job cancelled then, 29 days before the sweep.
    offset.ms = 12 * DAY_MS;
    const recent = await start(`${base}/questions/generate`, { count: 6 });
    expect((await api('POST', `/v1/jobs/${recent.id}/cancel`)).json()).toMatchObject({ status: 'cancelled' });

    // Day 41: the sweep.
    offset.ms = 41 * DAY_MS;
    const figures = async () => ({
      ledger: await t.app.store.ledger.listByUser(user.id, 1_000),
      usage: (await api('GET', '/v1/me/usage')).json(),
      admin: (await t.as(ADMIN_TOKEN, { method: 'GET', url: `/v1/admin/usage?userId=${user.id}&groupBy=operation&limit=100` })).json(),
    });
    const before = await figures();
    expect(before.usage.daily.reserved).toBeGreaterThan(0);
    expect(before.admin.totals.inputTokens).toBeGreaterThan(0);
    // The ledger rows of the jobs about to go are counted, and stay.
    expect(before.ledger.filter((row) => row.jobId !== null && old.includes(row.jobId)).length).toBeGreaterThanOrEqual(3);

    expect(await t.app.services.jobs.purgeEnded()).toBe(old.length);
    expect(await t.app.services.jobs.purgeEnded()).toBe(0);

    for (const id of old) {
      expect(await t.app.store.jobs.getById(id)).toBeNull();
      expect(await t.app.store.jobs.events(id, 0)).toEqual([]);
    }
    const kept = [[secondHold.jobId, 'running'], [queued.id, 'queued'], [recent.id, 'cancelled']] as const;
    for (const [id, status] of kept) {
      expect(await t.app.store.jobs.getById(id)).toMatchObject({ status });
      expect((await t.app.store.jobs.events(id, 0)).length).toBeGreaterThanOrEqual(1);
    }
    expect((await api('GET', '/v1/jobs?limit=100')).json<{ items: JobView[] }>().items.map((job) => job.id).sort()).toEqual([queued.id, recent.id].sort());
    expect(await figures()).toEqual(before);

    // A deleted job is simply not found, wherever it is asked for by id.
    for (const [method, url, headers] of [
      ['GET', `/v1/jobs/${cancelled.id}`, {}],
      ['GET', `/v1/jobs/${cancelled.id}/events`, {}],
      ['GET', `/v1/jobs/${cancelled.id}/events`, { 'last-event-id': '1' }],
      ['POST', `/v1/jobs/${cancelled.id}/cancel`, {}],
    ] as const) {
      const response = await t.as(user.token, { method, url, headers });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }

    await api('POST', `/v1/jobs/${queued.id}/cancel`);
    secondHold.release();
    expect(await endedStatus(t, secondHold.jobId)).toBe('succeeded');
  });
});

describe('many ended jobs, and an export whose job went (template mode, real time)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  }, 60_000);
  afterAll(() => t.close());

  it('is still listed and downloaded (exports never read their job), and the job reads as 404', async () => {
    const author = await t.newUser();
    const { bookId } = await exportBook(t, author.token, 2);
    const started = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/export`, payload: { format: 'markdown' } });
    const job = await waitForJob(t, author.token, started.json().job.id);
    expect(job.status).toBe('succeeded');
    // Jobs outlive exports (30 days against 7), but should that ever change the file must stay readable.
    const endedBy = new Date(Date.now() + 1_000).toISOString();
    expect(await t.app.store.jobs.purge({ statuses: ['succeeded'], updatedBefore: endedBy, limit: 100 })).toBe(1);
    expect((await t.as(author.token, { method: 'GET', url: `/v1/jobs/${job.id}` })).statusCode).toBe(404);
    const list = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/exports` })).json<{ items: Array<{ id: string; jobId: string }> }>();
    expect(list.items).toEqual([expect.objectContaining({ id: job.result.exportId, jobId: job.id })]);
    const file = await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/exports/${job.result.exportId}` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('Chapter 1');
  });

  it('deletes a store full of old ended jobs a batch at a time, and nothing that ended within 30 days', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    const ended = async (endedAt: string) => {
      const job = jobRecord({ createdAt: endedAt, updatedAt: endedAt });
      await t.app.store.jobs.create(job, null, decideJobCreate(job, null));
      await t.app.store.jobs.transition(job.id, { statuses: ['queued'] }, { status: 'succeeded', result: {} }, 'result', endedAt);
      return job.id;
    };
    const old: string[] = [];
    for (let i = 0; i < 2.5 * JOB_PURGE.batch; i++) old.push(await ended(daysAgo(31 + (i % 300))));
    const recent = await ended(daysAgo(29));
    // A sweep stops at its time budget and the next one goes on: together they delete every old job.
    let removed = 0;
    for (let sweep = await t.app.services.jobs.purgeEnded(); sweep > 0; sweep = await t.app.services.jobs.purgeEnded()) removed += sweep;
    expect(removed).toBe(old.length);
    expect(await t.app.store.jobs.getById(old[0]!)).toBeNull();
    expect(await t.app.store.jobs.events(old.at(-1)!, 0)).toEqual([]);
    expect(await t.app.store.jobs.getById(recent)).toMatchObject({ status: 'succeeded' });
  });
});

describe('the hourly retention sweep (it also runs at start-up)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-job-retention-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('removes the jobs that ended over 30 days ago and says how many in its log line', async () => {
    offset.ms = 0;
    const first = await buildTestApp({}, { clock, dataDir });
    const { author, job } = await bookWithInterviewJob(first);
    await first.close();

    // The same data directory 31 days later, its log lines captured.
    offset.ms = 31 * DAY_MS;
    const { server: later, lines } = await restartedWithLogLines(dataDir, clock);
    try {
      expect(lines.filter((line) => line.msg === 'retention sweep')).toEqual([expect.objectContaining({ expiredJobs: 1 })]);
      const gone = await later.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers: { authorization: `Bearer ${author.token}` } });
      expect(gone.statusCode).toBe(404);
      expect(errorOf(gone).code).toBe('NOT_FOUND');
    } finally {
      await later.close();
      offset.ms = 0;
    }
  });
});
