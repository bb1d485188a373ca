import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let author: { token: string };
let bookId: string;

beforeAll(async () => {
  t = await buildTestApp();
  author = await t.newUser();
  const created = await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Input rules' } });
  bookId = created.json<{ id: string }>().id;
});
afterAll(() => t.close());

/** JSON as a client sends it: a lone surrogate travels as a `\ud800` escape, which JSON.stringify writes for one. */
const putSummary = (summary: string) =>
  t.as(author.token, {
    method: 'PUT', url: `/v1/books/${bookId}/summary`, payload: JSON.stringify({ summary }), headers: { 'content-type': 'application/json' },
  });

describe('what is acknowledged is what is stored', () => {
  it('refuses a lone UTF-16 surrogate anywhere in a body, naming the field, and stores nothing', async () => {
    for (const summary of ['broken \ud800 text', 'trailing \udfff', `${'x'.repeat(100)}\ud83d`]) {
      const response = await putSummary(summary);
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
      expect(errorOf(response).message).toContain('summary');
      expect(errorOf(response).details).toMatchObject({ issues: [{ where: 'body', path: 'summary' }] });
    }
    const nested = await t.as(author.token, {
      method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: JSON.stringify({ title: 'Fine', description: 'a\udc00b' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(nested.statusCode).toBe(400);
    expect(errorOf(nested).details).toMatchObject({ issues: [{ path: 'description' }] });
    const read = await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/summary` });
    expect(read.json().summary).toBe('');
  });

  it('keeps paired surrogates (emoji, rare CJK) and saving back exactly what GET returned is accepted', async () => {
    const summary = `A book about 🌍 and 𠮷野家 ${'word '.repeat(60)}`;
    const saved = await putSummary(summary);
    expect(saved.statusCode).toBe(200);
    const read = await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/summary` });
    expect(read.json().summary).toBe(summary);
    const again = await putSummary(read.json().summary);
    expect(again.statusCode).toBe(200);
  });

  it('refuses a lone surrogate in the query string too', async () => {
    const response = await t.as(author.token, { method: 'GET', url: `/v1/books?documentId=${encodeURIComponent('doc')}%ED%A0%80` });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).code).toBe('VALIDATION');
  });
});

describe('titles need a visible character', () => {
  it('refuses titles made only of spaces, zero-width and format characters', async () => {
    for (const title of ['\u200b', '\u200b\u200c\u200d', '\u2060\ufeff', ' \u00a0\u3000', '\u180e', '\u00ad']) {
      const book = await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title } });
      expect(book.statusCode, JSON.stringify(title)).toBe(400);
      const chapter = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title } });
      expect(chapter.statusCode, JSON.stringify(title)).toBe(400);
    }
  });

  it('accepts titles with one visible character among invisible ones, in any script', async () => {
    for (const title of ['\u200bA', '日', 'ا', '🌍', 'e\u0301']) {
      const book = await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title } });
      expect(book.statusCode, JSON.stringify(title)).toBe(201);
      expect(book.json().title).toBe(title);
    }
  });
});
