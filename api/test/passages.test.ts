import { describe, expect, it } from 'vitest';
import { parseDataBlocks, step } from './support/openai-test-server.js';
import { SUMMARY, runJob, waitForJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import type { TestApp } from './helpers/test-app.js';

/**
 * Actions on a passage the author selected in the document (issue 21, item 4): rewrite, expand, shorten, continue as a
 * `passage.rework` job through the AI gateway like every other kind (quote, quota, cache, ledger, labelled template
 * mode), its result only in the job; and "use as material", which makes the passage an answered question of a chapter.
 */

const model = useModelServer();
const PASSAGE = 'Maria asked her nurse what had surprised her that week. Then she listened for two minutes before saying anything.\nShe wrote one line in her notebook afterwards.';

type Usage = { daily: { used: number }; recent: Array<{ operation: string; jobId: string | null; cached: boolean; inputTokens: number; outputTokens: number }> };

async function bookOf(app: TestApp) {
  const user = await app.newUser();
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => app.as(user.token, { method, url, ...(payload ? { payload } : {}) });
  const book = (await call('POST', '/v1/books', { title: 'Listening' })).json<{ id: string }>();
  await call('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
  return { user, call, bookId: book.id };
}

describe('actions on a selected passage', () => {
  it('in template mode every action runs, labelled, with nothing invented: shorten keeps whole sentences, continue adds nothing', async () => {
    const app = await model.app({ AI_PROVIDER: 'offline' }, true);
    const { user, call, bookId } = await bookOf(app);
    const quote = (await call('POST', '/v1/quote', { operation: 'passage.rework', bookId, params: { action: 'rewrite', passage: PASSAGE } })).json();
    expect(quote).toMatchObject({ estimatedTokens: 0, offline: true });
    const results: Record<string, { paragraphs: string[]; generatedBy: { offline: boolean } }> = {};
    for (const action of ['rewrite', 'expand', 'shorten', 'continue'] as const) {
      results[action] = (await runJob(app, user.token, 'POST', `/v1/books/${bookId}/passages/rework`, { action, passage: PASSAGE })).result;
      expect(results[action]).toMatchObject({ action, generatedBy: { offline: true } });
    }
    expect(results.rewrite!.paragraphs).toEqual(PASSAGE.split('\n'));
    expect(results.shorten!.paragraphs).toEqual(['Maria asked her nurse what had surprised her that week.', 'She wrote one line in her notebook afterwards.']);
    expect(results.continue!.paragraphs).toEqual([]);
    expect(model.server.requests).toEqual([]);
  });

  it('with a model: the request carries the passage as data; quote, quota, ledger and cache cover the kind; the result is only in the job', async () => {
    const app = await model.app({ QUOTA_DAILY_TOKENS: '1000000' });
    const { user, call, bookId } = await bookOf(app);
    const body = { action: 'rewrite', passage: PASSAGE };
    const quote = (await call('POST', '/v1/quote', { operation: 'passage.rework', bookId, params: body })).json<{ estimatedTokens: number; cached: boolean }>();
    expect(quote.estimatedTokens).toBeGreaterThan(0);
    expect(quote.cached).toBe(false);

    const started = await call('POST', `/v1/books/${bookId}/passages/rework`, body);
    expect(started.statusCode).toBe(202);
    const job = await waitForJob(app, user.token, started.json<{ job: { id: string } }>().job.id);
    expect(job).toMatchObject({ status: 'succeeded', kind: 'passage.rework', result: { action: 'rewrite', generatedBy: { offline: false, model: 'test-model' } } });
    expect(job.result.paragraphs).toHaveLength(2);
    expect(job.result.paragraphs[0]).toMatch(/^In other words,/);
    const request = model.server.requests.at(-1)!;
    expect(request.schemaName).toBe('passage_rework');
    // The passage is data, paragraph by paragraph, never spliced into the instructions.
    expect(parseDataBlocks(String(request.body!.messages[1]!.content)).passage).toEqual(PASSAGE.split('\n'));
    expect(String(request.body!.messages[0]!.content)).not.toContain('Maria');

    // The same passage and action again: the cache answers, free, and the quote says so.
    expect((await call('POST', '/v1/quote', { operation: 'passage.rework', bookId, params: body })).json()).toMatchObject({ cached: true, estimatedTokens: 0 });
    const again = await runJob(app, user.token, 'POST', `/v1/books/${bookId}/passages/rework`, body);
    expect(again.result.paragraphs).toEqual(job.result.paragraphs);
    expect(model.server.calls('passage_rework')).toBe(1);
    const usage = (await call('GET', '/v1/me/usage')).json<Usage>();
    expect(usage.recent.filter((row) => row.operation === 'passage.rework').map((row) => ({ job: row.jobId, cached: row.cached }))).toEqual([
      { job: again.id, cached: true }, { job: job.id, cached: false },
    ]);
    expect(usage.daily.used).toBe(request.usage!.total_tokens);
  });

  it('a cut-off answer returns nothing, over quota refuses before any call, and the passage is checked', async () => {
    const app = await model.app({ AI_MAX_RETRIES: '0', QUOTA_DAILY_TOKENS: '5000' });
    const { user, call, bookId } = await bookOf(app);
    model.server.script('passage_rework', [step.cut(1)]);
    model.server.streamChunkMs = 5;
    const failed = await waitForJob(app, user.token, (await call('POST', `/v1/books/${bookId}/passages/rework`, { action: 'expand', passage: PASSAGE })).json<{ job: { id: string } }>().job.id);
    expect(failed).toMatchObject({ status: 'failed', result: null, error: { code: 'AI_UNAVAILABLE' } });
    model.server.streamChunkMs = 0;
    const long = 'Word '.repeat(1_900);
    const refused = await call('POST', `/v1/books/${bookId}/passages/rework`, { action: 'expand', passage: long });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'QUOTA_EXCEEDED' } });
    const tooLong = await call('POST', `/v1/books/${bookId}/passages/rework`, { action: 'shorten', passage: 'x'.repeat(10_001) });
    expect(tooLong.json()).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('10,000') } });
    const empty = await call('POST', `/v1/books/${bookId}/passages/rework`, { action: 'shorten', passage: '   ' });
    expect(empty.json()).toMatchObject({ error: { code: 'VALIDATION', message: 'The selected passage cannot be empty.' } });
    const stranger = await app.newUser();
    expect((await app.as(stranger.token, { method: 'POST', url: `/v1/books/${bookId}/passages/rework`, payload: { action: 'shorten', passage: PASSAGE } })).statusCode).toBe(404);
  });

  it('use as material: the passage becomes an answered question of the chosen chapter, which drafts can draw on', async () => {
    const app = await model.app({ AI_PROVIDER: 'offline' }, true);
    const { call, bookId } = await bookOf(app);
    const chapter = (await call('POST', `/v1/books/${bookId}/chapters`, { title: 'Ask first' })).json<{ id: string }>();
    const added = await call('POST', `/v1/books/${bookId}/chapters/${chapter.id}/material`, { passage: PASSAGE });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ text: 'A passage from your document', status: 'final', answer: { text: PASSAGE, status: 'final' }, generatedBy: { model: 'your document', offline: false } });
    const listed = (await call('GET', `/v1/books/${bookId}/chapters/${chapter.id}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>();
    expect(listed.items.map((q) => q.id)).toContain(added.json<{ id: string }>().id);
    const draft = await call('POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/generate`, { style: 'professional', targetWords: 300 });
    expect(draft.statusCode).toBe(202);
  });
});
