import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftSectionTask } from '../src/ai/tasks/draft-task.js';
import { interviewTask } from '../src/ai/tasks/interview-task.js';
import { questionsTask } from '../src/ai/tasks/questions-task.js';
import { tocTask } from '../src/ai/tasks/toc-task.js';
import { runJob, SUMMARY, waitForJob } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * The same journey as journey-offline.test.ts, but with AI_PROVIDER=openai against a real HTTP server speaking
 * the chat-completions wire format: structured-output requests, provenance of every record, exact metering.
 */

const PRICES = { input: 2, output: 8 }; // USD per million tokens for test-model (openAiTestEnv)
const GENERATED_BY = { provider: 'openai', offline: false, model: 'test-model' };

let server: OpenAiTestServer;
let t: TestApp;
let author: { token: string };
beforeAll(async () => {
  server = await startOpenAiTestServer();
  t = await buildTestApp(openAiTestEnv(server, { AI_TIMEOUT_MS: '1500', AI_MAX_RETRIES: '2' }));
  author = await t.newUser();
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

describe('the whole journey over the openai provider (OpenAI-compatible test server)', () => {
  it('goes from a summary to an accepted, fully sourced draft, metered exactly as the server reported', async () => {
    const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.as(author.token, { method, url, ...(payload ? { payload } : {}) });
    const meta = (await t.app.inject({ method: 'GET', url: '/v1/meta' })).json();
    expect(JSON.stringify(meta)).toContain('openai');

    const book = (await as('POST', '/v1/books', { title: 'The Calm One-to-One', audience: 'first-time managers' })).json();
    expect((await as('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 })).statusCode).toBe(200);

    // Kick-off interview.
    const interviewJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/interview/generate`);
    expect(interviewJob.result.questionIds.length).toBeGreaterThanOrEqual(3);
    const interview = (await as('GET', `/v1/books/${book.id}/interview`)).json();
    for (const q of interview.questions) expect(q.generatedBy).toMatchObject({ ...GENERATED_BY, promptVersion: interviewTask.promptVersion });
    expect(interview.questions[0].text).toContain('The Calm One-to-One');
    const answers = interview.questions.map((q: { id: string }, i: number) => ({ questionId: q.id, text: `Answer ${i}: the reader is a new manager who fears silence in meetings.` }));
    expect((await as('PUT', `/v1/books/${book.id}/interview/answers`, { answers })).json().answered).toBe(answers.length);

    // TOC proposal, applied.
    const tocJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/toc/generate`);
    const proposal = (await as('GET', `/v1/books/${book.id}/toc/proposals/${tocJob.result.proposalId}`)).json();
    expect(proposal.generatedBy).toMatchObject({ ...GENERATED_BY, promptVersion: tocTask.promptVersion });
    expect(proposal.chapters.length).toBe(4);
    const applied = await as('POST', `/v1/books/${book.id}/toc/proposals/${proposal.id}/apply`, { version: 1 });
    expect(applied.statusCode).toBe(200);
    expect(applied.json().toc.chapters[2].children).toHaveLength(1);
    const chapter = applied.json().toc.chapters[1];

    // Chapter questions, in the requested count.
    const qJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/questions/generate`, { count: 6 });
    expect(qJob.result.questionIds).toHaveLength(6);
    const page = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/questions?limit=20`)).json();
    expect(page.total).toBe(6);
    for (const q of page.items) expect(q.generatedBy).toMatchObject({ ...GENERATED_BY, promptVersion: questionsTask.promptVersion });
    const batch = await as('POST', `/v1/books/${book.id}/chapters/${chapter.id}/answers/batch`, {
      answers: page.items.slice(0, 4).map((q: { id: string }, i: number) => ({
        questionId: q.id, status: 'final',
        text: i === 1 ? '- Ask one open question\n- Listen for two minutes\n- Write down one follow-up' : `On the ward, Maria started every one-to-one by asking what had surprised her nurse that week (${i}).`,
      })),
    });
    expect(batch.json().results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    const answered = new Set(page.items.slice(0, 4).map((q: { id: string }) => q.id));

    // A quote before the draft: real tokens and cost, not cached.
    const quoteBody = { operation: 'draft.generate', bookId: book.id, chapterId: chapter.id, params: { style: 'conversational', targetWords: 600 } };
    const quote = (await as('POST', '/v1/quote', quoteBody)).json();
    expect(quote).toMatchObject({ cached: false, offline: false });
    expect(quote.estimatedTokens).toBeGreaterThan(0);
    expect(quote.estimatedCostUsd).toBeGreaterThan(0);

    // Draft.
    const draftJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/generate`, { style: 'conversational', targetWords: 600 });
    const draft = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/${draftJob.result.draftId}`)).json();
    expect(draft.generatedBy).toMatchObject({ ...GENERATED_BY, promptVersion: draftSectionTask.promptVersion });
    expect(draft.words).toBeGreaterThanOrEqual(600 * 0.6);
    expect(draft.blocks[0]).toMatchObject({ type: 'heading', level: 2 });
    expect(draft.blocks.some((b: { type: string }) => b.type === 'list')).toBe(true);
    let sourced = 0;
    let unsupported = 0;
    for (const block of draft.blocks) {
      if (block.type === 'heading') continue;
      expect(block.sources.length > 0 || block.unsupported === true).toBe(true);
      if (block.sources.length > 0) {
        sourced++;
        expect(block.unsupported).toBe(false);
        for (const source of block.sources) {
          expect(answered.has(source.questionId)).toBe(true);
          expect(source.answerVersion).toBeGreaterThanOrEqual(1);
        }
      } else unsupported++;
    }
    expect(sourced).toBeGreaterThan(0);
    expect(unsupported).toBe(draft.unsupportedBlocks);
    const accepted = await as('POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/${draft.id}/accept`);
    expect(accepted.json().accepted).toBe(true);
    // Accepting starts the job that keeps the book's continuity notes from the draft.
    expect((await waitForJob(t, author.token, accepted.json().continuityJob.id)).status).toBe('succeeded');
    const progress = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/progress`)).json();
    expect(progress).toMatchObject({ questions: 6, answered: 4, acceptedDraftId: draft.id });

    // Every upstream request was a structured-output request for test-model, one per prompt module.
    const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chats.map((r) => r.schemaName)).toEqual(['kickoff_interview', 'toc_proposal', 'chapter_questions', 'chapter_draft_section', 'continuity_extract']);
    for (const request of chats) {
      expect(request.body!.response_format!.type).toBe('json_schema');
      expect(request.body!.response_format!.json_schema!.strict).toBe(true);
      expect(request.body!.model).toBe('test-model');
      expect(request.body!.max_tokens).toBeGreaterThan(0);
      expect(request.body!.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(request.headers.authorization).toBe('Bearer test');
      expect(request.finishReason).toBe('stop');
    }
    // Author text travels as delimited data, never spliced into the instructions.
    expect(String(chats[0]!.body!.messages[1]!.content)).toContain('<data name="brief">');
    expect(String(chats[0]!.body!.messages[0]!.content)).not.toContain(SUMMARY.slice(0, 40));
    expect(String(chats[3]!.body!.messages[1]!.content)).toContain('"ref": "A1"');

    // The ledger holds exactly what the server reported, row by row, priced at AI_PRICES.
    const usage = (await as('GET', '/v1/me/usage')).json();
    const rows = [...usage.recent].reverse();
    expect(rows).toHaveLength(chats.length);
    const expectedMicros = chats.map((r) => Math.round(r.usage!.prompt_tokens * PRICES.input + r.usage!.completion_tokens * PRICES.output));
    rows.forEach((row: Record<string, unknown>, i: number) => {
      expect(row).toMatchObject({
        provider: 'openai', model: 'test-model', cached: false, outcome: 'ok', bookId: book.id,
        inputTokens: chats[i]!.usage!.prompt_tokens, outputTokens: chats[i]!.usage!.completion_tokens,
      });
      expect(row.costUsd).toBeCloseTo(expectedMicros[i]! / 1e6, 9);
    });
    expect(rows.map((r: { operation: string }) => r.operation)).toEqual(['interview.generate', 'toc.generate', 'questions.generate', 'draft.generate', 'continuity.extract']);
    const input = chats.reduce((sum, r) => sum + r.usage!.prompt_tokens, 0);
    const output = chats.reduce((sum, r) => sum + r.usage!.completion_tokens, 0);
    expect(usage.month).toMatchObject({ calls: chats.length, cachedCalls: 0, inputTokens: input, outputTokens: output });
    expect(usage.month.costUsd).toBeGreaterThan(0);
    expect(usage.month.costUsd).toBeCloseTo(expectedMicros.reduce((a, b) => a + b, 0) / 1e6, 9);
    expect(usage.daily).toMatchObject({ used: input + output, reserved: 0 });
    expect(usage.monthly).toMatchObject({ used: input + output, reserved: 0 });

    // Asking again is now free: the quote says cached.
    expect((await as('POST', '/v1/quote', quoteBody)).json()).toMatchObject({ cached: true, estimatedTokens: 0 });
  });
});
