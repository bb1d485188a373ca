import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

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

describe('TRUST_PROXY=1 (one proxy in front): the address the proxy saw is the client', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    proxied = await buildTestApp({ TRUST_PROXY: '1', RATE_LIMIT_AUTH_PER_MIN: '10' });
  });
  afterAll(() => proxied.close());

  const PROXY = '10.0.0.5';
  /** A request through the proxy: it appends the address it saw to whatever X-Forwarded-For the client wrote. */
  const viaProxy = (token: string, clientWrote: string | null, clientAddress: string) =>
    proxied.as(token, {
      method: 'GET',
      url: '/v1/me',
      remoteAddress: PROXY,
      headers: { 'x-forwarded-for': clientWrote ? `${clientWrote}, ${clientAddress}` : clientAddress },
    });
  const badToken = (i: number | string) => `aa_wrong-token-${i}-${'x'.repeat(30)}`;

  it('a client-written left-most X-Forwarded-For neither dodges the lock-out nor locks out the address it names', async () => {
    const attacker = '198.51.100.66';
    const victim = '198.51.100.77';
    // Ten bad tokens, each claiming another address, half of them the victim's.
    for (let i = 0; i < 10; i++) {
      const response = await viaProxy(badToken(i), i % 2 ? victim : `192.0.2.${i}`, attacker);
      expect(response.statusCode, `attempt ${i + 1}`).toBe(401);
    }
    // Not dodged: the attacker's next bad token is refused whatever address it claims.
    const refused = await viaProxy(badToken('next'), '192.0.2.200', attacker);
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused).code).toBe('RATE_LIMITED');
    // The failures were recorded against the address the proxy saw.
    const audit = (await proxied.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/audit?type=auth.failed&limit=100' })).json<{ items: Array<{ ip: string }> }>();
    expect(audit.items.map((event) => event.ip)).toEqual([attacker]);
    // Not triggered: the victim's own mistyped token is an ordinary 401, not a lock-out.
    const victimMistyped = await viaProxy(badToken('victim'), null, victim);
    expect(victimMistyped.statusCode).toBe(401);
    expect(errorOf(victimMistyped).code).toBe('UNAUTHORIZED');
  });
});
