import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, SUMMARY } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let author: { token: string };
beforeAll(async () => {
  t = await buildTestApp();
  author = await t.newUser();
});
afterAll(() => t.close());

describe('the whole journey with no configuration (offline provider)', () => {
  it('goes from a summary to an accepted, fully sourced draft', async () => {
    const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.as(author.token, { method, url, ...(payload ? { payload } : {}) });
    const book = (await as('POST', '/v1/books', { title: 'The Calm One-to-One', audience: 'first-time managers' })).json();
    expect((await as('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 })).statusCode).toBe(200);

    const interviewJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/interview/generate`);
    expect(interviewJob.result.questionIds.length).toBeGreaterThanOrEqual(3);
    const interview = (await as('GET', `/v1/books/${book.id}/interview`)).json();
    expect(interview.questions[0].generatedBy).toMatchObject({ provider: 'offline', offline: true });
    const answers = interview.questions.map((q: { id: string }, i: number) => ({ questionId: q.id, text: `Answer ${i}: the reader is a new manager who fears silence in meetings.` }));
    expect((await as('PUT', `/v1/books/${book.id}/interview/answers`, { answers })).json().answered).toBe(answers.length);

    const tocJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/toc/generate`);
    const proposal = (await as('GET', `/v1/books/${book.id}/toc/proposals/${tocJob.result.proposalId}`)).json();
    expect(proposal.chapters.length).toBeGreaterThan(2);
    const applied = await as('POST', `/v1/books/${book.id}/toc/proposals/${proposal.id}/apply`, { version: 1 });
    expect(applied.statusCode).toBe(200);
    const chapter = applied.json().toc.chapters[1];

    const qJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/questions/generate`, { count: 6 });
    expect(qJob.result.questionIds).toHaveLength(6);
    const page = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/questions?limit=20`)).json();
    expect(page.total).toBe(6);
    const batch = await as('POST', `/v1/books/${book.id}/chapters/${chapter.id}/answers/batch`, {
      answers: page.items.slice(0, 4).map((q: { id: string }, i: number) => ({
        questionId: q.id, status: 'final',
        text: i === 1 ? '- Ask one open question\n- Listen for two minutes\n- Write down one follow-up' : `On the ward, Maria started every one-to-one by asking what had surprised her nurse that week (${i}).`,
      })),
    });
    expect(batch.json().results.every((r: { ok: boolean }) => r.ok)).toBe(true);

    const draftJob = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/generate`, { style: 'conversational', targetWords: 600 });
    const draft = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/${draftJob.result.draftId}`)).json();
    expect(draft.generatedBy.offline).toBe(true);
    expect(draft.blocks.some((b: { type: string }) => b.type === 'list')).toBe(true);
    for (const block of draft.blocks) if (block.type !== 'heading') expect(block.sources.length > 0 || block.unsupported).toBe(true);
    const accepted = await as('POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/${draft.id}/accept`);
    expect(accepted.json().accepted).toBe(true);
    const progress = (await as('GET', `/v1/books/${book.id}/chapters/${chapter.id}/progress`)).json();
    expect(progress).toMatchObject({ questions: 6, answered: 4, acceptedDraftId: draft.id });
    expect(progress.coverage).toBeGreaterThan(0);
    const usage = (await as('GET', '/v1/me/usage')).json();
    expect(usage.month.calls).toBeGreaterThanOrEqual(4);
    expect(usage.month.costUsd).toBe(0);
  });
});
