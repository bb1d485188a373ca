import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob, SUMMARY } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let author: { token: string };
let bookId: string;
let chapterId: string;
beforeAll(async () => {
  t = await buildTestApp();
  author = await t.newUser();
  bookId = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Quotes' } })).json().id;
  await t.as(author.token, { method: 'PUT', url: `/v1/books/${bookId}/summary`, payload: { summary: SUMMARY } });
  chapterId = (await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title: 'One' } })).json().id;
});
afterAll(() => t.close());

const quote = (payload: object) => t.as(author.token, { method: 'POST', url: '/v1/quote', payload });

describe('quotes', () => {
  it('follow the generate endpoints\' rules for params', async () => {
    for (const params of [{ count: 1e9 }, { count: -3 }, { count: 'many' }]) {
      const refused = await quote({ operation: 'questions.generate', bookId, chapterId, params });
      expect(refused.statusCode, JSON.stringify(params)).toBe(400);
      expect(errorOf(refused).code).toBe('VALIDATION');
    }
    expect(errorOf(await quote({ operation: 'draft.generate', bookId, chapterId, params: { style: 'shouty' } })).code).toBe('VALIDATION');
    const ok = await quote({ operation: 'questions.generate', bookId, chapterId, params: { count: 6 } });
    expect(ok.json()).toEqual({ estimatedTokens: 0, estimatedCostUsd: 0, cached: false, offline: true });
  });
});

describe('interview answers', () => {
  it('check every version before writing any: a stale item leaves the others unsaved', async () => {
    await runJob(t, author.token, 'POST', `/v1/books/${bookId}/interview/generate`);
    const [q1, q2] = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/interview` })).json().questions;
    for (const text of ['Draft answer.', 'First answer.']) {
      await t.as(author.token, { method: 'PUT', url: `/v1/books/${bookId}/interview/answers`, payload: { answers: [{ questionId: q2.id, text }] } });
    }
    const stale = await t.as(author.token, {
      method: 'PUT', url: `/v1/books/${bookId}/interview/answers`,
      payload: { answers: [{ questionId: q1.id, text: 'New text for q1.' }, { questionId: q2.id, text: 'Overwrite?', version: 1 }] },
    });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).details).toMatchObject({ questionIds: [q2.id] });
    const interview = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/interview` })).json();
    expect(interview.questions.find((q: { id: string }) => q.id === q1.id).answer).toBeNull();
    expect(interview.questions.find((q: { id: string }) => q.id === q2.id).answer.text).toBe('First answer.');
  });
});
