import { describe, expect, it } from 'vitest';
import { SUMMARY, runJob, waitForJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { step, type Step } from './support/openai-test-server.js';

/**
 * Every upstream fault the gateway must survive or report, against a real HTTP server speaking the
 * chat-completions wire format. For each failure: the job's error carries the named code, no partial record
 * (questions, proposal, draft) exists, the reservation is released and the user is charged exactly the tokens
 * the server reported (nothing for calls that never reached the model).
 */

const TIMEOUT_MS = 800;
const HTML = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const model = useModelServer();

async function setup(env: Record<string, string> = {}) {
  const app = await model.app({ AI_TIMEOUT_MS: String(TIMEOUT_MS), AI_MAX_RETRIES: '2', ...env });
  const user = await app.newUser();
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    app.as(user.token, { method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const book = (await api('POST', '/v1/books', { title: `Faults ${Date.now()}`, audience: 'first-time managers' })).json<{ id: string }>();
  expect((await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 })).statusCode).toBe(200);
  return { t: app, user, api, bookId: book.id };
}
type Ctx = Awaited<ReturnType<typeof setup>>;

/** A chapter with generated questions (one ok upstream call) and four answers. */
async function chapterWithAnswers(ctx: Ctx) {
  const chapter = (await ctx.api('POST', `/v1/books/${ctx.bookId}/chapters`, { title: 'Listening beats advising' })).json<{ id: string }>();
  await runJob(ctx.t, ctx.user.token, 'POST', `/v1/books/${ctx.bookId}/chapters/${chapter.id}/questions/generate`, { count: 5 });
  const page = (await ctx.api('GET', `/v1/books/${ctx.bookId}/chapters/${chapter.id}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>();
  const batch = await ctx.api('POST', `/v1/books/${ctx.bookId}/chapters/${chapter.id}/answers/batch`, {
    answers: page.items.slice(0, 4).map((q, i) => ({
      questionId: q.id, status: 'final',
      text: i === 1 ? '- Ask one open question\n- Listen for two minutes\n- Write down one follow-up' : `On the ward, Maria asked her nurse what had surprised her that week, story ${i}.`,
    })),
  });
  expect(batch.statusCode).toBe(200);
  return chapter.id;
}

/**
 * The book's AI-made records as the author can reach them: the interview, the TOC, and each chapter's questions
 * and drafts (ids, so a swap shows as well as an addition).
 */
async function recordsOf(ctx: Ctx) {
  const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
  const interview = (await ctx.api('GET', `/v1/books/${ctx.bookId}/interview`)).json<{ questions: Array<{ id: string }> }>();
  const toc = (await ctx.api('GET', `/v1/books/${ctx.bookId}/toc`)).json<{ version: number; chapters: Array<{ id: string }> }>();
  const chapters: Record<string, { questions: string[]; drafts: string[] }> = {};
  for (const { id } of toc.chapters) {
    const questions = (await ctx.api('GET', `/v1/books/${ctx.bookId}/chapters/${id}/questions?limit=50`)).json<{ items: Array<{ id: string }> }>();
    const drafts = (await ctx.api('GET', `/v1/books/${ctx.bookId}/chapters/${id}/drafts?limit=50`)).json<{ items: Array<{ id: string }> }>();
    chapters[id] = { questions: ids(questions.items), drafts: ids(drafts.items) };
  }
  return { interview: ids(interview.questions), tocVersion: toc.version, chapters };
}

type UsageRow = { jobId: string | null; model: string; inputTokens: number; outputTokens: number; costUsd: number; cached: boolean; outcome: string };
async function usageOf(ctx: Ctx) {
  return (await ctx.api('GET', '/v1/me/usage')).json<{
    daily: { used: number; reserved: number; limit: number; remaining: number };
    month: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
    recent: UsageRow[];
  }>();
}

/** Tokens the server reported in its answers (errors and hangs report none). */
const reportedTokens = () => model.server.requests.reduce((sum, r) => sum + (r.usage?.total_tokens ?? 0), 0);

/** The reservation is released and the user is charged exactly what the server reported. */
async function expectSettled(ctx: Ctx) {
  const usage = await usageOf(ctx);
  expect(usage.recent.length).toBeLessThan(20);
  const ledgerTokens = usage.recent.reduce((sum, row) => sum + row.inputTokens + row.outputTokens, 0);
  expect(usage.daily.reserved).toBe(0);
  expect(usage.daily.used).toBe(ledgerTokens);
  expect(usage.daily.used).toBe(reportedTokens());
  expect(usage.month.inputTokens + usage.month.outputTokens).toBe(ledgerTokens);
  expect(usage.daily.remaining).toBe(usage.daily.limit - usage.daily.used);
  return usage;
}

/** Starts a job and waits for it to end (any status). */
async function startAndWait(ctx: Ctx, url: string, payload?: unknown) {
  const started = await ctx.api('POST', url, payload);
  expect(started.statusCode, started.body).toBe(202);
  return waitForJob(ctx.t, ctx.user.token, started.json().job.id, 30_000);
}

/** The ledger rows of one job, oldest first. */
async function rowsOf(ctx: Ctx, jobId: string) {
  return (await usageOf(ctx)).recent.filter((row) => row.jobId === jobId).reverse();
}

describe('retries honouring retry-after', () => {
  it('429 with retry-after then ok → succeeds after waiting retry-after, one ledger row per attempt', async () => {
    const ctx = await setup();
    model.server.script('kickoff_interview', [step.rateLimited(1), step.ok()]);
    const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/interview/generate`);
    expect(job.status).toBe('succeeded');
    const [first, second] = model.server.requests;
    expect(model.server.calls('kickoff_interview')).toBe(2);
    expect(first!.status).toBe(429);
    // retry-after: 1 s honoured (the exponential backoff alone would wait at most 250 ms).
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    const rows = await rowsOf(ctx, job.id);
    expect(rows.map((r) => r.outcome)).toEqual(['retryable', 'ok']);
    expect(rows[0]).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(rows[1]).toMatchObject({ inputTokens: second!.usage!.prompt_tokens, outputTokens: second!.usage!.completion_tokens });
    expect((await recordsOf(ctx)).interview).toEqual(job.result.questionIds);
    await expectSettled(ctx);
  });
});

describe('failures leave no partial record and refund the reservation', () => {
  const cases: Array<{
    name: string; schema: 'kickoff_interview' | 'toc_proposal' | 'chapter_questions' | 'chapter_draft_section'; steps: Step[];
    code: string; retryable?: boolean; upstream: number; outcomes: string[];
  }> = [
    { name: '429 persisting beyond retries → AI_UNAVAILABLE', schema: 'kickoff_interview', steps: [step.rateLimited(0), step.rateLimited(0), step.rateLimited(0)], code: 'AI_UNAVAILABLE', retryable: true, upstream: 3, outcomes: ['retryable', 'retryable', 'retryable'] },
    { name: '500 persisting beyond retries → AI_UNAVAILABLE', schema: 'toc_proposal', steps: [step.serverError(), step.serverError(), step.serverError()], code: 'AI_UNAVAILABLE', retryable: true, upstream: 3, outcomes: ['retryable', 'retryable', 'retryable'] },
    { name: 'timeouts → AI_UNAVAILABLE', schema: 'chapter_questions', steps: [step.timeout(), step.timeout(), step.timeout()], code: 'AI_UNAVAILABLE', retryable: true, upstream: 3, outcomes: ['retryable', 'retryable', 'retryable'] },
    { name: 'malformed JSON twice → AI_INVALID_OUTPUT', schema: 'chapter_draft_section', steps: [step.malformed(), step.malformed()], code: 'AI_INVALID_OUTPUT', upstream: 2, outcomes: ['invalid_output', 'invalid_output'] },
    { name: 'schema-invalid JSON twice → AI_INVALID_OUTPUT', schema: 'chapter_questions', steps: [step.schemaInvalid(), step.schemaInvalid()], code: 'AI_INVALID_OUTPUT', upstream: 2, outcomes: ['invalid_output', 'invalid_output'] },
    { name: 'a 200 that is not a chat completion (a proxy\'s HTML page), persisting → AI_UNAVAILABLE', schema: 'kickoff_interview', steps: [step.raw(200, HTML), step.raw(200, HTML), step.raw(200, HTML)], code: 'AI_UNAVAILABLE', retryable: true, upstream: 3, outcomes: ['retryable', 'retryable', 'retryable'] },
    { name: 'a 400 → no retry, AI_UNAVAILABLE', schema: 'toc_proposal', steps: [step.badRequest(), step.ok()], code: 'AI_UNAVAILABLE', upstream: 1, outcomes: ['rejected'] },
    { name: 'finish_reason length persisting on a draft → split once, then AI_TRUNCATED', schema: 'chapter_draft_section', steps: [step.truncated(), step.truncated()], code: 'AI_TRUNCATED', retryable: false, upstream: 2, outcomes: ['truncated', 'truncated'] },
    { name: 'length on the second half after a split → AI_TRUNCATED, the first half is not saved', schema: 'chapter_draft_section', steps: [step.truncated(), step.ok(), step.truncated()], code: 'AI_TRUNCATED', retryable: false, upstream: 3, outcomes: ['truncated', 'ok', 'truncated'] },
  ];

  it.each(cases)('$name', async ({ schema, steps, code, retryable, upstream, outcomes }) => {
    const ctx = await setup();
    const chapterId = schema === 'chapter_questions' || schema === 'chapter_draft_section' ? await chapterWithAnswers(ctx) : null;
    const url = {
      kickoff_interview: `/v1/books/${ctx.bookId}/interview/generate`,
      toc_proposal: `/v1/books/${ctx.bookId}/toc/generate`,
      chapter_questions: `/v1/books/${ctx.bookId}/chapters/${chapterId}/questions/generate`,
      chapter_draft_section: `/v1/books/${ctx.bookId}/chapters/${chapterId}/drafts/generate`,
    }[schema];
    const payload = schema === 'chapter_draft_section' ? { style: 'professional', targetWords: 600 } : schema === 'chapter_questions' ? { count: 5, fresh: true } : undefined;
    const before = await recordsOf(ctx);
    const callsBefore = model.server.calls(schema);
    model.server.script(schema, steps);
    const allCallsBefore = model.server.calls();

    const started = await ctx.api('POST', url, payload);
    expect(started.statusCode, started.body).toBe(202);
    const jobId = started.json().job.id;
    if (schema === 'chapter_questions' && code === 'AI_UNAVAILABLE') {
      // While the job hangs on the model, its worst case is reserved.
      await model.server.waitForCalls(allCallsBefore + 1);
      expect((await usageOf(ctx)).daily.reserved).toBeGreaterThan(0);
    }
    const job = await waitForJob(ctx.t, ctx.user.token, jobId, 30_000);

    expect(job.status).toBe('failed');
    expect(job.error.code).toBe(code);
    if (retryable !== undefined) expect(job.error.retryable).toBe(retryable);
    expect(job.result).toBeNull();
    expect(model.server.calls(schema) - callsBefore).toBe(upstream);
    expect(await recordsOf(ctx)).toEqual(before);
    const rows = await rowsOf(ctx, jobId);
    expect(rows.map((r) => r.outcome)).toEqual(outcomes);
    if (code === 'AI_UNAVAILABLE') for (const row of rows) expect(row).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    await expectSettled(ctx);
    if (code === 'AI_UNAVAILABLE' && upstream === 1) expect(model.server.pendingSteps()).toBe(1); // the ok after the 400 was never asked for
    if (schema === 'chapter_questions' && code === 'AI_UNAVAILABLE') {
      // The client gave up on each hung request (the server notices the closed socket a moment later).
      await expect.poll(() => model.server.requests.filter((r) => r.schemaName === schema).slice(-3).every((r) => r.aborted), { timeout: 2_000 }).toBe(true);
    }
  });
});

describe('recoveries', () => {
  it.each([
    { name: 'schema-invalid once, then valid → repaired', first: step.schemaInvalid() },
    { name: 'malformed once, then valid → repaired', first: step.malformed() },
    { name: 'a timeout once, then ok → retried', first: step.timeout() },
    { name: 'an HTML page with status 200 once, then ok → retried', first: step.raw(200, HTML) },
  ])('$name', async ({ first }) => {
    const ctx = await setup();
    model.server.script('toc_proposal', [first, step.ok()]);
    const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/toc/generate`);
    expect(job.status).toBe('succeeded');
    expect(model.server.calls('toc_proposal')).toBe(2);
    const proposal = (await ctx.api('GET', `/v1/books/${ctx.bookId}/toc/proposals/${job.result.proposalId}`)).json();
    expect(proposal.generatedBy).toMatchObject({ provider: 'openai', model: 'test-model', offline: false });
    expect((await rowsOf(ctx, job.id)).map((r) => r.outcome)).toEqual([first.kind === 'hang' || first.kind === 'raw' ? 'retryable' : 'invalid_output', 'ok']);
    await expectSettled(ctx);
  });

  it('finish_reason length on a draft section → the section is split in two and both halves retried', async () => {
    const ctx = await setup();
    const chapterId = await chapterWithAnswers(ctx);
    model.server.script('chapter_draft_section', [step.truncated(), step.ok(), step.ok()]);
    const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/chapters/${chapterId}/drafts/generate`, { style: 'technical', targetWords: 600 });
    expect(job.status).toBe('succeeded');
    const drafts = model.server.requests.filter((r) => r.schemaName === 'chapter_draft_section');
    expect(drafts).toHaveLength(3);
    const system = (i: number) => String(drafts[i]!.body!.messages[0]!.content);
    const focus = (i: number) => /<data name="focus_refs">\n([\s\S]*?)\n<\/data>/.exec(String(drafts[i]!.body!.messages[1]!.content))![1]!;
    expect(system(0)).toContain('about 600 words');
    expect(system(1)).toContain('about 300 words');
    expect(system(2)).toContain('about 300 words');
    expect(JSON.parse(focus(0))).toEqual(['A1', 'A2', 'A3', 'A4']);
    expect([...JSON.parse(focus(1)), ...JSON.parse(focus(2))]).toEqual(['A1', 'A2', 'A3', 'A4']);
    const draft = (await ctx.api('GET', `/v1/books/${ctx.bookId}/chapters/${chapterId}/drafts/${job.result.draftId}`)).json();
    expect(draft.words).toBeGreaterThanOrEqual(600 * 0.6);
    expect(draft.blocks.filter((b: { type: string }) => b.type === 'heading')).toHaveLength(2);
    expect((await rowsOf(ctx, job.id)).map((r) => r.outcome)).toEqual(['truncated', 'ok', 'ok']);
    await expectSettled(ctx);
  });
});

describe('model fallback chain and circuit breaker', () => {
  it('bad-model fails → good-model answers; once the breaker opens, bad-model is no longer asked', async () => {
    const ctx = await setup({ AI_MODELS: 'bad-model,good-model', AI_MAX_RETRIES: '1' });
    model.server.scriptModel('bad-model', step.serverError(503));
    const run = async () => {
      const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/interview/generate`, { fresh: true });
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      return job;
    };

    // The breaker opens after three failed chains (one failure each: first try + one retry).
    for (let i = 1; i <= 3; i++) {
      const job = await run();
      expect(model.server.calls(undefined, 'bad-model')).toBe(2 * i);
      expect(model.server.calls(undefined, 'good-model')).toBe(i);
      expect((await rowsOf(ctx, job.id)).map((r) => `${r.model}:${r.outcome}`)).toEqual(['bad-model:retryable', 'bad-model:retryable', 'good-model:ok']);
    }
    expect(ctx.t.app.ai.breaker.snapshot()['bad-model']).toMatchObject({ state: 'open' });

    const job = await run();
    expect(model.server.calls(undefined, 'bad-model')).toBe(6);
    expect(model.server.calls(undefined, 'good-model')).toBe(4);
    expect((await rowsOf(ctx, job.id)).map((r) => `${r.model}:${r.outcome}`)).toEqual(['good-model:ok']);
    const interview = (await ctx.api('GET', `/v1/books/${ctx.bookId}/interview`)).json();
    for (const q of interview.questions) expect(q.generatedBy).toMatchObject({ provider: 'openai', model: 'good-model', offline: false });

    // good-model calls are priced at good-model's prices (3 / 12 USD per million tokens).
    const rows = (await usageOf(ctx)).recent.filter((r) => r.model === 'good-model');
    const answered = model.server.requests.filter((r) => r.model === 'good-model').reverse();
    rows.forEach((row, i) => {
      const u = answered[i]!.usage!;
      expect(row.costUsd).toBeCloseTo((u.prompt_tokens * 3 + u.completion_tokens * 12) / 1e6, 9);
    });
    await expectSettled(ctx);
  });

  it('a model the server does not know (404) → the next model answers at once; the breaker counts it', async () => {
    const ctx = await setup({ AI_MODELS: 'bad-model,good-model' });
    model.server.scriptModel('bad-model', step.status(404, 'The model `bad-model` does not exist or you do not have access to it.'));
    const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/interview/generate`);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(model.server.calls(undefined, 'bad-model')).toBe(1); // rejected: never retried on the same model
    expect(model.server.calls(undefined, 'good-model')).toBe(1);
    expect((await rowsOf(ctx, job.id)).map((r) => `${r.model}:${r.outcome}`)).toEqual(['bad-model:rejected', 'good-model:ok']);
    expect(ctx.t.app.ai.breaker.snapshot()['bad-model']).toMatchObject({ failures: 1 });
    await expectSettled(ctx);
  });

  it('a 400 on the first model → not retried there, the next model is asked, and the breaker does not count it', async () => {
    const ctx = await setup({ AI_MODELS: 'bad-model,good-model' });
    model.server.scriptModel('bad-model', step.badRequest());
    for (let i = 1; i <= 4; i++) {
      const job = await startAndWait(ctx, `/v1/books/${ctx.bookId}/interview/generate`, { fresh: true });
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect(model.server.calls(undefined, 'bad-model')).toBe(i);
    }
    expect(ctx.t.app.ai.breaker.snapshot()['bad-model']).toBeUndefined();
    // With every model rejecting it, the job fails AI_UNAVAILABLE after one request per model.
    model.server.scriptModel('good-model', step.badRequest());
    const failed = await startAndWait(ctx, `/v1/books/${ctx.bookId}/interview/generate`, { fresh: true });
    expect(failed.error.code).toBe('AI_UNAVAILABLE');
    expect(model.server.calls(undefined, 'bad-model')).toBe(5);
    expect(model.server.calls(undefined, 'good-model')).toBe(5);
    await expectSettled(ctx);
  });
});
