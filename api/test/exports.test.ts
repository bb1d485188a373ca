import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBook } from './helpers/export-fixtures.js';
import { waitForJob } from './helpers/journey.js';
import { freePort, startRedis, stopRedis } from './helpers/redis-server.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

/** The app's clock: real time plus an offset a test can move (to reach an export's expiry). */
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };

let t: TestApp;
let author: { id: string; token: string };
let book: Awaited<ReturnType<typeof exportBook>>;

beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_EXPORTS_PER_HOUR: '3' }, { clock });
  author = await t.newUser();
  book = await exportBook(t, author.token, 4, 3);
}, 60_000);
afterAll(() => t.close());

const start = (token: string, bookId: string, payload: object) => t.as(token, { method: 'POST', url: `/v1/books/${bookId}/export`, payload });

async function exportDone(token: string, bookId: string, payload: object) {
  const started = await start(token, bookId, payload);
  expect(started.statusCode, started.body).toBe(202);
  const job = await waitForJob(t, token, started.json().job.id);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return job as { id: string; progress: number; result: { exportId: string; chapters: number; skipped: Array<{ chapterId: string; reason: string }> } };
}

describe('export jobs', () => {
  it('an unknown format is 400 VALIDATION, and no job starts', async () => {
    const response = await start(author.token, book.bookId, { format: 'rtf' });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('VALIDATION');
    const jobs = await t.as(author.token, { method: 'GET', url: `/v1/jobs?bookId=${book.bookId}` });
    expect(jobs.json().items).toEqual([]);
  });

  it('a book with no accepted draft is refused with a message that says what to do, and no file is made', async () => {
    const empty = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Empty' } })).json<{ id: string }>();
    await t.as(author.token, { method: 'POST', url: `/v1/books/${empty.id}/chapters`, payload: { title: 'Not drafted yet' } });
    const response = await start(author.token, empty.id, { format: 'pdf' });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/no accepted chapter drafts yet.*Accept a draft/);
    const list = await t.as(author.token, { method: 'GET', url: `/v1/books/${empty.id}/exports` });
    expect(list.json()).toEqual({ items: [], nextCursor: null });
  });

  it('chosen chapters export in TOC order; those without an accepted draft or unknown are listed as skipped', async () => {
    const [first, , section, third] = book.chapters;
    const job = await exportDone(author.token, book.bookId, { format: 'markdown', chapterIds: [third!.id, first!.id, section!.id, 'ch_missing'] });
    expect(job.progress).toBe(100);
    expect(job.result.chapters).toBe(2);
    expect(job.result.skipped).toEqual([{ chapterId: 'ch_missing', title: null, reason: 'not_found' }, { chapterId: third!.id, title: third!.title, reason: 'no_accepted_draft' }]);
    const file = await t.as(author.token, { method: 'GET', url: `/v1/books/${book.bookId}/exports/${job.result.exportId}` });
    const text = file.body;
    // The section's chapter is not in the export, so the section stands as a chapter of its own.
    expect(text.indexOf(`# ${first!.title.replace('<', '\\<').replace('>', '\\>').replace('&', '\\&')}`)).toBeGreaterThan(0);
    expect(text).toMatch(/\n# Section 2\.5/);
    // A safe name from the title (no ':' or '/'), ASCII for old clients, the exact name as RFC 5987 filename*.
    const name = 'Книга The Calm One-to-One 一对一.md';
    expect(file.headers['content-disposition']).toBe(`attachment; filename="_____ The Calm One-to-One ___.md"; filename*=UTF-8''${encodeURIComponent(name)}`);
  });

  it('lists exports newest first; another user gets 404 for the list, the download and the start', async () => {
    const job = await exportDone(author.token, book.bookId, { format: 'epub' });
    const list = await t.as(author.token, { method: 'GET', url: `/v1/books/${book.bookId}/exports` });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; format: string; bytes: number; skipped: unknown[]; expiresAt: string }>;
    expect(items[0]).toMatchObject({ id: job.result.exportId, format: 'epub' });
    expect(items[0]!.bytes).toBeGreaterThan(1000);
    expect(Date.parse(items[0]!.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const other = await t.newUser();
    for (const url of [`/v1/books/${book.bookId}/exports`, `/v1/books/${book.bookId}/exports/${job.result.exportId}`]) {
      const response = await t.as(other.token, { method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response).code).toBe('NOT_FOUND');
    }
    // The right id under another book of the same user is not found either.
    const own = (await t.as(other.token, { method: 'POST', url: '/v1/books', payload: { title: 'Theirs' } })).json<{ id: string }>();
    expect((await t.as(other.token, { method: 'GET', url: `/v1/books/${own.id}/exports/${job.result.exportId}` })).statusCode).toBe(404);
    expect((await start(other.token, book.bookId, { format: 'pdf' })).statusCode).toBe(404);
  });

  it('is limited per user and per format each hour (429 RATE_LIMITED with Retry-After); other formats and users are not', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await start(author.token, book.bookId, { format: 'docx' });
      statuses.push(last.statusCode);
      if (last.statusCode === 202) await waitForJob(t, author.token, last.json().job.id);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(errorOf(last!).code).toBe('RATE_LIMITED');
    expect(errorOf(last!).message).toMatch(/3 DOCX exports this hour; you can export again in \d+ min/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(3000);
    expect((await start(author.token, book.bookId, { format: 'pdf' })).statusCode).toBe(202);
  });

  it('expired exports are no longer listed or served, and the sweep deletes their files', async () => {
    const job = await exportDone(author.token, book.bookId, { format: 'markdown', options: { tableOfContents: false } });
    const files = path.join(t.dataDir, 'exports');
    expect(existsSync(path.join(files, job.result.exportId))).toBe(true);
    offset.ms = 8 * 86_400_000;
    try {
      expect((await t.as(author.token, { method: 'GET', url: `/v1/books/${book.bookId}/exports/${job.result.exportId}` })).statusCode).toBe(404);
      expect((await t.as(author.token, { method: 'GET', url: `/v1/books/${book.bookId}/exports` })).json().items).toEqual([]);
      expect(await t.app.services.exports.purgeExpired()).toBeGreaterThanOrEqual(1);
      expect(readdirSync(files)).toEqual([]);
    } finally {
      offset.ms = 0;
    }
  });
});

describe('export jobs on the BullMQ queue (REDIS_URL)', () => {
  let redis: ChildProcess;
  let queued: TestApp;
  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    queued = await buildTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_EXPORTS_PER_HOUR: '1' });
  }, 60_000);
  afterAll(async () => {
    await queued.close();
    await stopRedis(redis);
  });

  it('runs an export through the queue, and the hourly limit is counted in Redis', async () => {
    const user = await queued.newUser();
    const { bookId } = await exportBook(queued, user.token, 3, 0);
    const started = await queued.as(user.token, { method: 'POST', url: `/v1/books/${bookId}/export`, payload: { format: 'pdf' } });
    expect(started.statusCode, started.body).toBe(202);
    const job = await waitForJob(queued, user.token, started.json().job.id, 60_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const file = await queued.as(user.token, { method: 'GET', url: `/v1/books/${bookId}/exports/${job.result.exportId}` });
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const again = await queued.as(user.token, { method: 'POST', url: `/v1/books/${bookId}/export`, payload: { format: 'pdf' } });
    expect(again.statusCode).toBe(429);
    expect(queued.app.rateLimitCounting()).toBe('redis');
  });
});
