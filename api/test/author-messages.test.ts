import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY, runJob } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

// A refused request says why in the author's words: the field, the limit and the count, in `message` and in
// `details.issues` (so a panel marks the field where it is).

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await buildTestApp({ AI_PROVIDER: 'offline' });
  token = (await t.newUser()).token;
});
afterAll(async () => t?.close());

const call = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, payload?: object) => t.as(token, { method, url, ...(payload ? { payload } : {}) });

describe('validation messages for authors', () => {
  it('name the field, its limit and the count, and keep one issue per refused field', async () => {
    const book = (await call('POST', '/v1/books', { title: 'Messages' })).json();
    const target = await call('PATCH', `/v1/books/${book.id}`, { targetWords: 500, audience: 'nurses', version: book.version });
    expect(target.statusCode).toBe(400);
    expect(errorOf(target)).toMatchObject({
      code: 'VALIDATION',
      message: 'The target length must be at least 1,000 words (not 500).',
      details: { issues: [{ where: 'body', path: 'targetWords', limit: 1000, actual: 500, message: 'The target length must be at least 1,000 words (not 500).' }] },
    });
    const empty = await call('PATCH', `/v1/books/${book.id}`, { title: ' ' });
    expect(errorOf(empty).message).toBe('The title cannot be empty.');
    const notNumber = await call('PATCH', `/v1/books/${book.id}`, { targetWords: 1500.5 });
    expect(errorOf(notNumber).message).toBe('The target length must be a whole number.');

    await call('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
    const chapter = (await call('POST', `/v1/books/${book.id}/chapters`, { title: 'One' })).json();
    await runJob(t, token, 'POST', `/v1/books/${book.id}/chapters/${chapter.id}/questions/generate`, { count: 5 });
    const question = (await call('GET', `/v1/books/${book.id}/chapters/${chapter.id}/questions`)).json().items[0];
    const long = await call('PUT', `/v1/books/${book.id}/chapters/${chapter.id}/questions/${question.id}/answer`, { text: 'x'.repeat(21_600), status: 'draft' });
    expect(errorOf(long)).toMatchObject({
      message: 'An answer can hold at most 20,000 characters; this one has 21,600. Shorten it to save it.',
      details: { issues: [{ path: 'text', limit: 20_000, actual: 21_600 }] },
    });
    const style = await call('POST', `/v1/books/${book.id}/chapters/${chapter.id}/drafts/generate`, { style: 'poetic', targetWords: 600 });
    expect(errorOf(style).message).toBe('The style must be one of: professional, conversational, academic, creative, technical.');
  });
});
