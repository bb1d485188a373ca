import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { SQLITE_FILE } from '../../src/stores/sqlite/sqlite-store.js';
import { runJob, SUMMARY } from './journey.js';
import type { TestApp } from './test-app.js';

/** The fields the engine tests read from a question. */
export interface QuestionView {
  id: string;
  chapterId: string | null;
  position: number;
  text: string;
  status: 'unanswered' | 'draft' | 'final';
  regenerations: number;
  suggestedWords: number | null;
  answer: { id: string; text: string; status: string; version: number; words: number } | null;
}

export interface QuestionPage {
  items: QuestionView[];
  nextCursor: string | null;
  page: number;
  total: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Request helpers bound to one author. */
export function authorClient(t: TestApp, token: string) {
  const call = (method: Method, url: string, payload?: unknown) =>
    t.as(token, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

  async function allQuestions(bookId: string, chapterId: string, status?: string): Promise<QuestionView[]> {
    const query = status ? `&status=${status}` : '';
    const response = await call('GET', `/v1/books/${bookId}/chapters/${chapterId}/questions?limit=100${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<QuestionPage>().items;
  }

  return {
    call,
    allQuestions,

    /** A book with a ready summary; returns its id. */
    async book(title = 'The Calm One-to-One', summary: string = SUMMARY): Promise<string> {
      const created = await call('POST', '/v1/books', { title, audience: 'first-time managers' });
      expect(created.statusCode, created.body).toBe(201);
      const bookId = created.json<{ id: string }>().id;
      const saved = await call('PUT', `/v1/books/${bookId}/summary`, { summary });
      expect(saved.statusCode, saved.body).toBe(200);
      return bookId;
    },

    async chapter(bookId: string, title: string, extra: Record<string, unknown> = {}) {
      const created = await call('POST', `/v1/books/${bookId}/chapters`, { title, ...extra });
      expect(created.statusCode, created.body).toBe(201);
      return created.json<{ id: string; title: string; version: number; status: string }>();
    },

    /** Generates `count` questions (a finished job) and returns the chapter's questions in order. */
    async questions(bookId: string, chapterId: string, count = 8): Promise<QuestionView[]> {
      await runJob(t, token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, { count });
      return allQuestions(bookId, chapterId);
    },

    async answer(bookId: string, chapterId: string, questionId: string, text: string, status: 'draft' | 'final' = 'final', version?: number) {
      return call('PUT', `/v1/books/${bookId}/chapters/${chapterId}/questions/${questionId}/answer`, {
        text, status, ...(version === undefined ? {} : { version }),
      });
    },
  };
}

/** Opens the app's SQLite file directly (to simulate what only a crash or a clock can do). */
export function openStoreFile(dataDir: string): Database.Database {
  return new Database(path.join(dataDir, SQLITE_FILE));
}

/**
 * Occupies one slot of the real jobs pool with a job that runs until released, so that (with
 * JOBS_CONCURRENCY=1) later jobs stay queued. Offline jobs otherwise finish before the next request arrives.
 */
export async function holdJobPool(t: TestApp) {
  const owner = await t.newUser();
  const user = await t.app.store.users.get(owner.id);
  if (!user) throw new Error('pool holder user missing');
  const bookId = await authorClient(t, owner.token).book('Pool holder');
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  // Jobs run from their records: the holder is an interview job whose params say "hold", run by a wrapping handler.
  const jobs = t.app.services.jobs;
  const real = jobs.handle('interview.generate', async (owner, record) => {
    if (record.params.hold !== true) return real!(owner, record);
    return async (ctx) => {
      await ctx.progress(10, 'held by the test');
      await Promise.race([
        released,
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })),
      ]);
      return {};
    };
  });
  const job = await jobs.start({ user, kind: 'interview.generate', bookId, chapterId: null, targetId: bookId, params: { hold: true }, reserveTokens: 0 });
  // Taken by the pool at once when a slot is free: the holder must be running now.
  expect(jobs.stats().running).toBeGreaterThanOrEqual(1);
  return { jobId: job.id, release };
}
