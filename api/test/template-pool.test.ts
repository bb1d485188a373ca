import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { AiTask } from '../src/ai/llm.js';
import { offlineTocOutline } from '../src/ai/offline/toc-outline.js';
import { ALL_TASKS, taskKey } from '../src/ai/tasks/task-list.js';
import { blockReworkTask, type RevisionInput } from '../src/ai/tasks/revision-task.js';
import { tocTask, type TocInput } from '../src/ai/tasks/toc-task.js';
import { createTemplatePool, TEMPLATE_WORKER_MIN_CHARS, type TemplatePool } from '../src/ai/template-pool.js';
import { AppError } from '../src/lib/app-error.js';
import { runJob } from './helpers/journey.js';
import { longMaterial } from './helpers/long-material.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

const TASKS_DIR = fileURLToPath(new URL('../src/ai/tasks/', import.meta.url));
const brief = (summary: string) => ({ title: 'Notes from the Ward', subtitle: null, genre: null, audience: null, language: null, description: null, targetWords: null, summary });
const tocInput = (summary: string): TocInput => ({ brief: brief(summary), interview: [], existing: [] });
const live = () => new AbortController().signal;

describe('the template worker finds every prompt module', () => {
  it('lists every task the prompt modules export, each under its own key', async () => {
    const exported: unknown[] = [];
    for (const file of readdirSync(TASKS_DIR).filter((name) => name.endsWith('-task.ts'))) {
      const module = (await import(path.join(TASKS_DIR, file))) as Record<string, unknown>;
      exported.push(...Object.values(module).filter((value) => typeof (value as AiTask<unknown, unknown>)?.offline === 'function'));
    }
    expect(exported.length).toBeGreaterThanOrEqual(12);
    for (const task of exported) expect(ALL_TASKS).toContain(task);
    expect(new Set(ALL_TASKS.map(taskKey)).size).toBe(ALL_TASKS.length);
  });
});

describe('the template pool when its worker cannot be built', () => {
  it('answers on the event loop, exactly as the task does, and reports the failure once', async () => {
    const failures: unknown[] = [];
    const pool = createTemplatePool({
      threads: 1, onError: (error) => failures.push(error), buildWorkerFile: () => Promise.reject(new Error('esbuild is missing')),
    });
    try {
      const input = tocInput(longMaterial(6_000, 'fallback'));
      expect(await pool.answer(tocTask, input, live())).toEqual(tocTask.offline(input));
      expect(await pool.answer(tocTask, input, live())).toEqual(tocTask.offline(input));
      expect(failures).toHaveLength(1);
      expect((failures[0] as Error).message).toMatch(/could not be built: template answers run on the event loop/u);
      expect(((failures[0] as Error).cause as Error).message).toBe('esbuild is missing');
      expect(pool.stats()).toMatchObject({ threads: 0, completed: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('the template pool (real worker threads)', () => {
  let pool: TemplatePool;
  beforeAll(() => {
    pool = createTemplatePool({ threads: 1 });
  });
  afterAll(() => pool.close());

  it('answers a long input in a worker exactly as on the event loop, and a short one on the event loop', async () => {
    const input = tocInput(longMaterial(6_000, 'pool'));
    expect(await pool.answer(tocTask, input, live())).toEqual(tocTask.offline(input));
    expect(pool.stats()).toMatchObject({ threads: 1, completed: 1, queued: 0 });
    const short = tocInput(longMaterial(TEMPLATE_WORKER_MIN_CHARS - 100, 'short'));
    expect(await pool.answer(tocTask, short, live())).toEqual(tocTask.offline(short));
    expect(pool.stats().completed).toBe(1);
  });

  it("brings a template's refusal back as the same AppError", async () => {
    const sentence = `${longMaterial(2 * TEMPLATE_WORKER_MIN_CHARS, 'one').replace(/[.,]/gu, '')}.`;
    const input: RevisionInput = {
      brief: brief('A summary.'), chapter: { title: 'Rotas', description: null }, style: 'professional', answers: [],
      draft: [{ ref: 'B1', type: 'paragraph', level: null, text: sentence, items: null, sources: [] }],
      instruction: 'Shorten', selected: ['B1'], action: 'shorten', standingInstructions: null,
    };
    const onEventLoop = (() => {
      try {
        blockReworkTask.offline(input);
      } catch (error) {
        return error as AppError;
      }
      throw new Error('expected the template to refuse');
    })();
    const before = pool.stats().completed;
    const inWorker = await pool.answer(blockReworkTask, input, live()).then(() => null, (error: unknown) => error);
    expect(pool.stats().completed).toBe(before + 1);
    expect(inWorker).toBeInstanceOf(AppError);
    expect(inWorker).toMatchObject({ code: onEventLoop.code, message: onEventLoop.message, statusCode: 400 });
  });

  it('a cancelled answer stops its thread, which is replaced, and leaves nothing queued', async () => {
    const input = tocInput(longMaterial(LIMITS.summaryMaxChars, 'cancel'));
    await pool.answer(tocTask, tocInput(longMaterial(3_000, 'warm')), live());
    const [thread] = pool.stats().threadIds;
    const controller = new AbortController();
    const answering = pool.answer(tocTask, input, controller.signal);
    await until(() => pool.stats().busy === 1, 'the thread to take the answer');
    const reason = new AppError('JOB_CANCELLED', 'cancelled by the author');
    controller.abort(reason);
    await expect(answering).rejects.toBe(reason);
    await until(() => pool.stats().busy === 0, 'the pool to be idle again');
    expect(pool.stats()).toMatchObject({ threads: 1, queued: 0 });
    expect(pool.stats().threadIds).not.toContain(thread);
    expect(await pool.answer(tocTask, input, live())).toEqual(tocTask.offline(input));
  });

  it('closes: no thread is left, and later answers come from the event loop', async () => {
    const closing = createTemplatePool({ threads: 1 });
    const input = tocInput(longMaterial(3_000, 'close'));
    await closing.answer(tocTask, input, live());
    expect(closing.stats().threads).toBe(1);
    await closing.close();
    expect(closing.stats().threads).toBe(0);
    expect(await closing.answer(tocTask, input, live())).toEqual(tocTask.offline(input));
    expect(closing.stats().threads).toBe(0);
  });
});

describe('template mode through the app', () => {
  it('proposes the same TOC from a 20,000-character summary on a worker thread; a cancelled job frees it; closing the app stops it', async () => {
    const t = await buildTestApp({ TEMPLATE_THREADS: '1' });
    try {
      const book = await longTocJob(t);
      await cancelledTocJob(t, book);
    } finally {
      await t.close();
    }
    expect(t.app.ai.templates.stats().threads).toBe(0);
  });
});

/** Resolves once `condition` holds (checked every few ms), or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The same TOC asked for again (fresh), cancelled while its thread works on it: the job ends cancelled, the thread is replaced. */
async function cancelledTocJob(t: TestApp, { token, bookId }: { token: string; bookId: string }) {
  const [thread] = t.app.ai.templates.stats().threadIds;
  const started = await t.as(token, { method: 'POST', url: `/v1/books/${bookId}/toc/generate`, payload: { fresh: true } });
  expect(started.statusCode).toBe(202);
  await until(() => t.app.ai.templates.stats().busy === 1, 'the worker thread to take the TOC');
  const cancelled = await t.as(token, { method: 'POST', url: `/v1/jobs/${started.json().job.id}/cancel` });
  expect(cancelled.json()).toMatchObject({ status: 'cancelled', error: { code: 'JOB_CANCELLED' } });
  // Its thread was stopped; the one piscina starts in its place soon sits idle: nothing stays busy.
  await until(() => t.app.ai.templates.stats().busy === 0, 'the pool to be idle again');
  expect(t.app.ai.templates.stats()).toMatchObject({ threads: 1, queued: 0 });
  expect(t.app.ai.templates.stats().threadIds).not.toContain(thread);
}

/** A new book with a summary at its 20,000-character limit: its TOC job, checked against the event loop's answer. */
async function longTocJob(t: TestApp) {
  const author = await t.newUser();
  const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.as(author.token, { method, url, ...(payload ? { payload } : {}) });
  const summary = longMaterial(LIMITS.summaryMaxChars, 'app');
  const book = (await as('POST', '/v1/books', { title: 'Notes from the Ward' })).json<{ id: string }>();
  expect((await as('PUT', `/v1/books/${book.id}/summary`, { summary })).statusCode).toBe(200);
  const before = t.app.ai.templates.stats().completed;

  const job = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/toc/generate`);
  const proposal = (await as('GET', `/v1/books/${book.id}/toc/proposals/${job.result.proposalId}`)).json<{ chapters: Array<{ title: string; description: string | null }> }>();

  expect(t.app.ai.templates.stats()).toMatchObject({ completed: before + 1, threads: 1 });
  const expected = offlineTocOutline(tocInput(summary));
  expect(proposal.chapters.map((c) => ({ title: c.title, description: c.description }))).toEqual(
    expected.chapters.map((c) => ({ title: c.title, description: c.description })),
  );
  expect(expected.chapters.length).toBeGreaterThan(4);
  return { token: author.token, bookId: book.id };
}
