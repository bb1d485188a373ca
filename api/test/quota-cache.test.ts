import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY, runJob, waitForJob } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * Quota reservation under concurrency and the AI cache, over the openai provider against a real HTTP test
 * server: exactly k of N racing jobs start when the quota allows k, cache hits are free and metered as hits,
 * identical concurrent generations share one upstream call, the cache survives a restart, fresh bypasses it.
 */

const DRAFT = { style: 'conversational', targetWords: 300 } as const;
let server: OpenAiTestServer;
let t: TestApp;
const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-quota-cache-'));
const env = () => openAiTestEnv(server, { AI_TIMEOUT_MS: '15000', QUOTA_DAILY_TOKENS: '50000000', QUOTA_MONTHLY_TOKENS: '500000000', JOBS_CONCURRENCY: '8' });

beforeAll(async () => {
  server = await startOpenAiTestServer();
  t = await buildTestApp(env(), { dataDir });
});
afterAll(async () => {
  await t?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type User = { id: string; token: string };
const call = (user: User, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  t.as(user.token, { method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function newBook(user: User, title: string) {
  const book = (await call(user, 'POST', '/v1/books', { title, audience: 'first-time managers' })).json<{ id: string }>();
  expect((await call(user, 'PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 })).statusCode).toBe(200);
  return book.id;
}

/** Questions generated (through the test server, or its cache) and the first two answered with `answers`. */
async function prepareChapter(user: User, bookId: string, chapterId: string, answers: [string, string]) {
  await runJob(t, user.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, { count: 5 });
  const page = (await call(user, 'GET', `/v1/books/${bookId}/chapters/${chapterId}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>();
  const batch = await call(user, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/answers/batch`, {
    answers: answers.map((text, i) => ({ questionId: page.items[i]!.id, text, status: 'final' })),
  });
  expect(batch.statusCode).toBe(200);
}

async function newChapter(user: User, bookId: string, title: string) {
  const created = await call(user, 'POST', `/v1/books/${bookId}/chapters`, { title });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

const quote = async (user: User, bookId: string, chapterId: string) => {
  const response = await call(user, 'POST', '/v1/quote', { operation: 'draft.generate', bookId, chapterId, params: DRAFT });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ estimatedTokens: number; estimatedCostUsd: number; cached: boolean; offline: boolean }>();
};

type Usage = {
  daily: { used: number; reserved: number; limit: number };
  month: { calls: number; cachedCalls: number };
  recent: Array<{ jobId: string; operation: string; cached: boolean; inputTokens: number; outputTokens: number; costUsd: number; outcome: string }>;
};
const usageOf = async (user: User) => (await call(user, 'GET', '/v1/me/usage')).json<Usage>();

/** Runs `tasks` with at most `width` in flight. */
async function inBatches<T>(items: T[], width: number, task: (item: T, index: number) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => task(item, i + j)));
}

describe('quota reservation under concurrency', () => {
  it('50 racing drafts on 50 distinct chapters against a quota for 5 → exactly 5 start, 45 × 429 QUOTA_EXCEEDED', async () => {
    const author = await t.newUser();
    const bookId = await newBook(author, 'Fifty Chapters');
    const numbers = Array.from({ length: 50 }, (_, i) => String(i + 1).padStart(2, '0'));
    // Equal-length titles and answers: every chapter's reservation is the same, every cache key differs.
    const chapterIds: string[] = [];
    for (const n of numbers) chapterIds.push(await newChapter(author, bookId, `Chapter ${n}: the weekly one-to-one`));
    await inBatches(chapterIds, 10, (chapterId, i) =>
      prepareChapter(author, bookId, chapterId, [
        `Story ${numbers[i]}: on the ward, Maria asked her nurse what had surprised her that week.`,
        `Habit ${numbers[i]}: she wrote down one follow-up and checked it at the next meeting.`,
      ]),
    );
    expect(server.calls('chapter_questions')).toBeGreaterThanOrEqual(50);

    const quotes = await Promise.all(chapterIds.map((chapterId) => quote(author, bookId, chapterId)));
    const reservation = quotes[0]!.estimatedTokens;
    expect(reservation).toBeGreaterThan(0);
    for (const q of quotes) expect(q).toMatchObject({ estimatedTokens: reservation, cached: false, offline: false });

    const before = await usageOf(author);
    expect(before.daily.reserved).toBe(0);
    const limit = before.daily.used + 5 * reservation;
    const patched = await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: limit } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await usageOf(author)).daily.limit).toBe(limit);

    // Hold every upstream answer until all 50 requests have been decided, so no job settles mid-race.
    const draftCallsBefore = server.calls('chapter_draft_section');
    server.pause();
    let responses;
    try {
      responses = await Promise.all(chapterIds.map((chapterId) => call(author, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, DRAFT)));
      const during = await usageOf(author);
      expect(during.daily.reserved).toBe(5 * reservation);
    } finally {
      server.resume();
    }

    expect(responses.filter((r) => r.statusCode >= 500)).toEqual([]);
    const accepted = responses.filter((r) => r.statusCode === 202);
    const refused = responses.filter((r) => r.statusCode === 429);
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(45);
    for (const response of refused) {
      const error = errorOf(response);
      expect(error.code).toBe('QUOTA_EXCEEDED');
      expect(response.headers['x-quota-limit']).toBe(String(limit));
      const remaining = Number(response.headers['x-quota-remaining']);
      expect(remaining).toBeGreaterThanOrEqual(0);
      expect(remaining).toBeLessThan(reservation);
      expect(Date.parse(String(response.headers['x-quota-reset']))).toBeGreaterThan(Date.now());
      // What the job needed and what is left, so the panel can say both.
      expect(error.details).toMatchObject({ window: 'daily', limit, needed: reservation, remaining, resetAt: response.headers['x-quota-reset'] });
      expect(error.message).toContain(`needs about ${reservation.toLocaleString('en-US')} tokens`);
    }

    const jobs = await Promise.all(accepted.map((r) => waitForJob(t, author.token, r.json().job.id, 30_000)));
    for (const job of jobs) expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(server.calls('chapter_draft_section') - draftCallsBefore).toBe(5);

    const after = await usageOf(author);
    expect(after.daily.reserved).toBe(0);
    expect(after.daily.used).toBeLessThanOrEqual(limit);
    // Settled to what was used: the unused worst case is free again.
    expect(after.daily.used).toBeLessThan(limit);

    // With the quota spent to the last token, a request the cache can answer is still never refused …
    const spent = await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: after.daily.used } });
    expect(spent.statusCode, spent.body).toBe(200);
    const done = chapterIds.filter((_, i) => responses[i]!.statusCode === 202);
    const refusedIds = chapterIds.filter((_, i) => responses[i]!.statusCode === 429);
    expect(await quote(author, bookId, done[0]!)).toMatchObject({ cached: true, estimatedTokens: 0 });
    const cachedRun = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${done[0]}/drafts/generate`, DRAFT);
    expect(cachedRun.status).toBe('succeeded');
    expect(server.calls('chapter_draft_section') - draftCallsBefore).toBe(5);
    // … while one that needs the model is.
    const over = await call(author, 'POST', `/v1/books/${bookId}/chapters/${refusedIds[0]}/drafts/generate`, DRAFT);
    expect(over.statusCode).toBe(429);
    expect(errorOf(over).code).toBe('QUOTA_EXCEEDED');
    expect(over.headers['x-quota-remaining']).toBe('0');
  });
});

describe('the AI cache', () => {
  let author: User;
  let bookId: string;
  let chapterId: string;
  const draftCalls = () => server.calls('chapter_draft_section');

  beforeAll(async () => {
    author = await t.newUser();
    bookId = await newBook(author, 'The Calm One-to-One');
    chapterId = await newChapter(author, bookId, 'Listening beats advising');
    await prepareChapter(author, bookId, chapterId, [
      'On the ward, Maria asked her nurse what had surprised her that week.',
      '- Ask one open question\n- Listen for two minutes\n- Write down one follow-up',
    ]);
  });

  it('(b) a repeated identical generation makes no upstream call; quote and ledger say cached, free', async () => {
    const first = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, DRAFT);
    const callsAfterFirst = draftCalls();
    const firstRows = (await usageOf(author)).recent.filter((r) => r.jobId === first.id);
    expect(firstRows).toHaveLength(1);
    expect(firstRows[0]).toMatchObject({ cached: false, outcome: 'ok' });
    expect(firstRows[0]!.inputTokens).toBeGreaterThan(0);

    expect(await quote(author, bookId, chapterId)).toMatchObject({ cached: true, estimatedTokens: 0, estimatedCostUsd: 0 });
    const before = await usageOf(author);
    const second = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, DRAFT);
    expect(draftCalls()).toBe(callsAfterFirst);
    const usage = await usageOf(author);
    const rows = usage.recent.filter((r) => r.jobId === second.id);
    expect(rows).toEqual([expect.objectContaining({ operation: 'draft.generate', cached: true, inputTokens: 0, outputTokens: 0, costUsd: 0, outcome: 'ok' })]);
    expect(usage.daily.used).toBe(before.daily.used);
    expect(usage.month.cachedCalls).toBe(before.month.cachedCalls + 1);

    const a = (await call(author, 'GET', `/v1/books/${bookId}/chapters/${chapterId}/drafts/${first.result.draftId}`)).json();
    const b = (await call(author, 'GET', `/v1/books/${bookId}/chapters/${chapterId}/drafts/${second.result.draftId}`)).json();
    expect(b.blocks).toEqual(a.blocks);
    expect(b.generatedBy).toEqual(a.generatedBy);
  });

  it('(c) 20 concurrent identical generations on 20 books of one user make exactly one upstream call', async () => {
    const twin = await t.newUser();
    const targets: Array<{ bookId: string; chapterId: string }> = [];
    for (let i = 0; i < 20; i++) {
      const id = await newBook(twin, 'Twenty Identical Books');
      const chapter = await newChapter(twin, id, 'The same chapter');
      await prepareChapter(twin, id, chapter, ['The same story, told the same way.', 'The same habit, kept every week.']);
      targets.push({ bookId: id, chapterId: chapter });
    }
    const before = draftCalls();
    server.delayMs = 300; // the first upstream call is still in flight when the others start
    try {
      const started = await Promise.all(targets.map((x) => call(twin, 'POST', `/v1/books/${x.bookId}/chapters/${x.chapterId}/drafts/generate`, DRAFT)));
      for (const response of started) expect(response.statusCode, response.body).toBe(202);
      const jobs = await Promise.all(started.map((r) => waitForJob(t, twin.token, r.json().job.id, 30_000)));
      for (const job of jobs) expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect(draftCalls() - before).toBe(1);
      const rows = (await usageOf(twin)).recent.filter((r) => r.operation === 'draft.generate');
      expect(rows).toHaveLength(20);
      expect(rows.filter((r) => !r.cached)).toHaveLength(1);
      expect(rows.filter((r) => r.cached).every((r) => r.inputTokens + r.outputTokens === 0 && r.costUsd === 0)).toBe(true);
      const usage = await usageOf(twin);
      expect(usage.daily.reserved).toBe(0);
    } finally {
      server.delayMs = 0;
    }
  });

  it('(d) the cache survives a restart on the same DATA_DIR', async () => {
    await t.close();
    t = await buildTestApp(env(), { dataDir });
    const before = draftCalls();
    expect(await quote(author, bookId, chapterId)).toMatchObject({ cached: true, estimatedTokens: 0 });
    const job = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, DRAFT);
    expect(draftCalls()).toBe(before);
    const rows = (await usageOf(author)).recent.filter((r) => r.jobId === job.id);
    expect(rows).toEqual([expect.objectContaining({ cached: true, inputTokens: 0, outputTokens: 0, costUsd: 0 })]);
  });

  it('(e) fresh: true bypasses the cache (and reserves quota again)', async () => {
    const before = draftCalls();
    const started = await call(author, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, { ...DRAFT, fresh: true });
    expect(started.statusCode, started.body).toBe(202);
    const job = await waitForJob(t, author.token, started.json().job.id, 30_000);
    expect(job.status).toBe('succeeded');
    expect(draftCalls() - before).toBe(1);
    const rows = (await usageOf(author)).recent.filter((r) => r.jobId === job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cached: false, outcome: 'ok' });
    expect(rows[0]!.inputTokens + rows[0]!.outputTokens).toBeGreaterThan(0);
    expect(rows[0]!.costUsd).toBeGreaterThan(0);
    // Without fresh it is a cache hit again.
    const again = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, DRAFT);
    expect(draftCalls() - before).toBe(1);
    expect((await usageOf(author)).recent.filter((r) => r.jobId === again.id)).toEqual([expect.objectContaining({ cached: true })]);
  });
});
