import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_AI_PER_MIN: '2', RATE_LIMIT_DEFAULT_PER_MIN: '1000' });
});
afterAll(() => t.close());

async function readyBook(token: string) {
  const book = (await t.as(token, { method: 'POST', url: '/v1/books', payload: { title: 'Limits' } })).json();
  await t.as(token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: SUMMARY } });
  return book.id as string;
}

describe('rate limits', () => {
  it('are stricter on AI routes, keyed by user, and answer 429 RATE_LIMITED with Retry-After', async () => {
    const alice = await t.newUser();
    const bob = await t.newUser();
    const books = [await readyBook(alice.token), await readyBook(alice.token), await readyBook(alice.token)];
    for (const bookId of books.slice(0, 2)) {
      const started = await t.as(alice.token, { method: 'POST', url: `/v1/books/${bookId}/interview/generate` });
      expect(started.statusCode).toBe(202);
      expect(started.headers['x-ratelimit-limit']).toBe('2');
    }
    const limited = await t.as(alice.token, { method: 'POST', url: `/v1/books/${books[2]}/interview/generate` });
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited)).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterS: expect.any(Number) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    // Other routes and other users keep their own budgets.
    expect((await t.as(alice.token, { method: 'GET', url: '/v1/books' })).statusCode).toBe(200);
    const bobBook = await readyBook(bob.token);
    expect((await t.as(bob.token, { method: 'POST', url: `/v1/books/${bobBook}/interview/generate` })).statusCode).toBe(202);
  });
});
