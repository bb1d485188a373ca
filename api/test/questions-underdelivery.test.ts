import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY, waitForJob } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type GeneratorContext, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * A model that writes fewer chapter questions than asked (the output schema accepts 1–20) is asked once more for
 * the missing ones, keeping those it gave; the job's result says how many came when it is still short.
 */

let ai: OpenAiTestServer;
let t: TestApp;
let token: string;
let bookId: string;

beforeAll(async () => {
  ai = await startOpenAiTestServer();
  t = await buildTestApp(openAiTestEnv(ai));
  token = (await t.newUser()).token;
  bookId = (await t.as(token, { method: 'POST', url: '/v1/books', payload: { title: 'Short answers' } })).json<{ id: string }>().id;
  await t.as(token, { method: 'PUT', url: `/v1/books/${bookId}/summary`, payload: { summary: SUMMARY } });
});
afterAll(async () => {
  await t?.close();
  await ai?.close();
});

/** At most `cap` questions, whatever was asked ("exactly N" in the prompt), numbered on from the kept ones. */
function stingy(cap: number) {
  return ({ system, data }: GeneratorContext) => {
    const asked = Number(/exactly (\d+) questions/.exec(system)?.[1] ?? 8);
    const kept = Array.isArray(data.keep) ? data.keep.length : 0;
    return {
      questions: Array.from({ length: Math.min(asked, cap) }, (_, i) => ({
        text: `Question ${kept + i + 1}: what happened, and what did it teach you?`, helpText: null, lens: 'practitioner', suggestedWords: 80,
      })),
    };
  };
}

async function generate(count: number) {
  const chapter = (await t.as(token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title: `Chapter ${Date.now()}` } })).json<{ id: string }>();
  const started = await t.as(token, { method: 'POST', url: `/v1/books/${bookId}/chapters/${chapter.id}/questions/generate`, payload: { count, fresh: true } });
  expect(started.statusCode, started.body).toBe(202);
  const job = await waitForJob(t, token, started.json().job.id);
  const questions = (await t.as(token, { method: 'GET', url: `/v1/books/${bookId}/chapters/${chapter.id}/questions?limit=50` })).json<{ items: Array<{ text: string }> }>();
  return { job, questions: questions.items };
}

describe('chapter questions when the model under-delivers', () => {
  it('2 of 8, then the missing 6 when asked again: 8 questions, the first two kept, none repeated', async () => {
    ai.reset();
    let call = 0;
    ai.generator('chapter_questions', (context) => (++call === 1 ? stingy(2) : stingy(20))(context));
    const { job, questions } = await generate(8);
    expect(job).toMatchObject({ status: 'succeeded', result: { requested: 8, note: null } });
    expect(job.result.questionIds).toHaveLength(8);
    expect(questions).toHaveLength(8);
    expect(new Set(questions.map((q) => q.text)).size).toBe(8);
    const asks = ai.requests.filter((r) => r.schemaName === 'chapter_questions');
    expect(asks).toHaveLength(2);
    expect(asks[1]!.body!.messages.map((m) => m.content).join('\n')).toMatch(/exactly 6 questions/);
    // The second request lists the two received questions as ones to keep (not to repeat).
    expect(JSON.stringify(asks[1]!.body)).toContain('Question 1: what happened');
  });

  it('2 of 8 twice: the 4 that came, and a note saying so', async () => {
    ai.reset();
    ai.generator('chapter_questions', stingy(2));
    const { job, questions } = await generate(8);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ requested: 8, note: 'The model wrote 4 of the 8 questions asked for, even when asked again.' });
    expect(job.result.questionIds).toHaveLength(4);
    expect(questions).toHaveLength(4);
    expect(ai.calls('chapter_questions')).toBe(2);
  });

  it('all 8 at once: one call', async () => {
    ai.reset();
    const { job, questions } = await generate(8);
    expect(job.result).toMatchObject({ requested: 8, note: null });
    expect(questions).toHaveLength(8);
    expect(ai.calls('chapter_questions')).toBe(1);
  });
});
