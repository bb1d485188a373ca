import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDataBlocks } from './support/openai-test-server.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

/**
 * Follow-up questions in the kick-off interview, through the real app: against the OpenAI-compatible test server
 * (the request it received, a decline, the rules, the quota, the ledger) and in template mode (a labelled follow-up
 * from the answer's last sentence). A follow-up is an interview question like the others, listed under its parent.
 */

const model = useModelServer();

interface InterviewQuestion {
  id: string;
  text: string;
  status: string;
  parentQuestionId: string | null;
  followUpId: string | null;
  helpText: string | null;
  generatedBy: { offline: boolean; provider: string };
  answer: { text: string; version: number } | null;
}
interface Interview {
  questions: InterviewQuestion[];
  answered: number;
}

const LONG_ANSWER = Array.from({ length: 30 }, (_, i) => `In year ${i + 1} the book's reader led a team of five and asked for help once.`).join(' ');

/** A book whose kick-off interview was generated; `say` answers interview questions; `interview` reads it. */
async function interviewOf(t: TestApp, token: string) {
  const a = authorClient(t, token);
  const bookId = await a.book();
  await runJob(t, token, 'POST', `/v1/books/${bookId}/interview/generate`);
  const interview = async () => {
    const response = await a.call('GET', `/v1/books/${bookId}/interview`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Interview>();
  };
  const say = async (questionId: string, text: string) => {
    const saved = await a.call('PUT', `/v1/books/${bookId}/interview/answers`, { answers: [{ questionId, text }] });
    expect(saved.statusCode, saved.body).toBe(200);
  };
  const followUpUrl = (questionId: string) => `/v1/books/${bookId}/interview/questions/${questionId}/followup`;
  return { a, bookId, interview, say, followUpUrl, questions: (await interview()).questions };
}

describe('kick-off interview follow-ups, against the model', () => {
  let t: TestApp;
  let author: { id: string; token: string };
  beforeEach(async () => {
    t = await model.app();
    author = await t.newUser();
  });

  it('a short answer gets one follow-up, listed under its parent and answered like the others; the rules hold', async () => {
    const { a, bookId, interview, say, followUpUrl, questions } = await interviewOf(t, author.token);
    expect(questions.length).toBeGreaterThanOrEqual(3);
    const [first, second, third] = questions;
    await say(first!.id, 'Managers in their first year.');
    await say(second!.id, LONG_ANSWER);

    const quote = await a.call('POST', '/v1/quote', { operation: 'interview.followup', bookId, questionId: first!.id });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ cached: false, offline: false });
    expect(quote.json<{ estimatedTokens: number }>().estimatedTokens).toBeGreaterThan(0);

    const job = await runJob(t, author.token, 'POST', followUpUrl(first!.id));
    expect(job.kind).toBe('interview.followup');
    expect(job.chapterId).toBeNull();
    const followUpId = job.result.questionId as string;
    expect(followUpId).toMatch(/^q_/);
    // The one follow-up prompt, asked about the book: no chapter, the interview's other questions, the author's answer.
    const request = model.server.requests.find((r) => r.schemaName === 'interview_followup')!;
    const data = parseDataBlocks(request.body!.messages.at(-1)!.content as string);
    expect(data.answer).toBe('Managers in their first year.');
    expect(data.chapter).toBeUndefined();
    expect(data.question).toMatchObject({ text: first!.text });
    expect(data.other_questions).toEqual(questions.slice(1).map((q) => q.text));
    expect(request.body!.messages[0]!.content).toContain('kick-off interview about the whole book');

    const listed = (await interview()).questions;
    const at = listed.findIndex((q) => q.id === first!.id);
    expect(listed[at]!.followUpId).toBe(followUpId);
    expect(listed[at + 1]).toMatchObject({ id: followUpId, parentQuestionId: first!.id, followUpId: null, status: 'unanswered' });
    expect(listed[at + 1]!.text).toContain('Managers in their first year');
    expect(listed[at + 1]!.generatedBy.offline).toBe(false);
    expect(listed.filter((q) => q.parentQuestionId)).toHaveLength(1);

    // Answered and counted like the others.
    await say(followUpId, 'They were promoted from the team they now lead.');
    expect((await interview()).answered).toBe(3);

    // At most one per question, none for a follow-up itself, none for a long and complete answer or no answer.
    const again = await a.call('POST', followUpUrl(first!.id));
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('LIMIT_REACHED');
    expect(errorOf(await a.call('POST', followUpUrl(followUpId))).message).toMatch(/already a follow-up/);
    const calls = model.server.calls('interview_followup');
    const long = await a.call('POST', followUpUrl(second!.id));
    expect(long.statusCode).toBe(400);
    expect(errorOf(long).message).toMatch(/long and complete/);
    expect(errorOf(await a.call('POST', followUpUrl(third!.id))).message).toMatch(/Answer this question first/);
    expect(model.server.calls('interview_followup')).toBe(calls);

    // A chapter question's id is not an interview question.
    const chapter = await a.chapter(bookId, 'One');
    const [chapterQuestion] = await a.questions(bookId, chapter.id, 5);
    expect((await a.call('POST', followUpUrl(chapterQuestion!.id))).statusCode).toBe(404);

    const usage = (await a.call('GET', '/v1/me/usage')).json<{ recent: Array<{ operation: string }> }>().recent;
    expect(usage.filter((row) => row.operation === 'interview.followup')).toHaveLength(1);
  });

  it('the model may decline: no question is made and the job says why', async () => {
    model.server.generator('interview_followup', () => ({ followUp: null, reason: 'The answer already names the reader.' }));
    const { say, followUpUrl, interview, questions } = await interviewOf(t, author.token);
    await say(questions[0]!.id, 'Managers in their first year.');
    const job = await runJob(t, author.token, 'POST', followUpUrl(questions[0]!.id));
    expect(job.result).toMatchObject({ questionId: null, note: 'No follow-up needed: The answer already names the reader.' });
    expect((await interview()).questions).toHaveLength(questions.length);
  });

  it("another author's interview question is not found, and the follow-up is reserved against the quota", async () => {
    const { bookId, followUpUrl, say, questions } = await interviewOf(t, author.token);
    await say(questions[0]!.id, 'Managers in their first year.');
    const other = await t.newUser();
    const stranger = await t.as(other.token, { method: 'POST', url: followUpUrl(questions[0]!.id) });
    expect(stranger.statusCode).toBe(404);
    expect(errorOf(stranger).code).toBe('NOT_FOUND');
    const quote = await t.as(other.token, { method: 'POST', url: '/v1/quote', payload: { operation: 'interview.followup', bookId, questionId: questions[0]!.id } });
    expect(quote.statusCode).toBe(404);

    await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: 1 } });
    const over = await t.as(author.token, { method: 'POST', url: followUpUrl(questions[0]!.id) });
    expect(over.statusCode).toBe(429);
    expect(errorOf(over).code).toBe('QUOTA_EXCEEDED');
  });
});

describe('kick-off interview follow-ups, in template mode', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(() => t.close());

  it('asks a labelled follow-up from the last sentence of the answer, free of charge', async () => {
    const author = await t.newUser();
    const { a, bookId, say, followUpUrl, interview, questions } = await interviewOf(t, author.token);
    await say(questions[0]!.id, 'Managers in their first year. Most of them were promoted from their own team');
    const quote = await a.call('POST', '/v1/quote', { operation: 'interview.followup', bookId, questionId: questions[0]!.id });
    expect(quote.json()).toEqual({ estimatedTokens: 0, estimatedCostUsd: 0, cached: false, offline: true });

    const job = await runJob(t, author.token, 'POST', followUpUrl(questions[0]!.id));
    const made = (await interview()).questions.find((q) => q.id === job.result.questionId)!;
    expect(made).toMatchObject({ parentQuestionId: questions[0]!.id, status: 'unanswered' });
    expect(made.text).toBe('You wrote: “Most of them were promoted from their own team”. Tell more about that: what happened, and what should the reader take from it?');
    expect(made.generatedBy).toMatchObject({ offline: true, provider: 'offline' });
    const usage = (await a.call('GET', '/v1/me/usage')).json<{ recent: Array<{ operation: string; provider: string }> }>().recent;
    expect(usage.filter((row) => row.operation === 'interview.followup').map((row) => row.provider)).toEqual(['offline']);
  });
});
