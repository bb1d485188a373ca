import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient, type RetryInfo } from '../../shared/client/api-client.js';
import { apiFailure as failure } from '../../shared/client/testing.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

// The typed client against the real API over real HTTP: the wire format both sides agree on, end to end.
let t: TestApp;
let baseUrl: string;
let author: { id: string; token: string };
const retries: RetryInfo[] = [];

const clientFor = (token: string | null): ApiClient =>
  createApiClient({
    baseUrl, getToken: async () => token, fetch: globalThis.fetch, timeoutMs: 10_000, maxRetries: 2,
    initialRetryDelayMs: 5, maxRetryDelayMs: 20, onRetry: (info) => retries.push(info),
  });

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  author = await t.newUser();
});
afterAll(() => t.close());

describe('typed client against the real API', () => {
  it('creates a book and reads it back', async () => {
    const api = clientFor(author.token);
    const created = await api.createBook({ body: { title: 'Été 🌍', genre: 'memoir', subtitle: undefined } });
    expect(created).toMatchObject({ title: 'Été 🌍', genre: 'memoir', subtitle: null, version: 1 });
    expect(created.id).toMatch(/^bk_[0-9A-Z]{26}$/);
    expect(await api.getBook({ params: { bookId: created.id } })).toEqual(created);
  });

  it('turns a 404 into a typed NOT_FOUND error with the request id', async () => {
    const error = await failure(clientFor(author.token).getBook({ params: { bookId: 'bk_does-not-exist' } }));
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', serverCode: 'NOT_FOUND' });
    expect(error.requestId).toMatch(/\S/);
    expect(error.message).toMatch(/book/i);
  });

  it("reports the server's own request id, even when the caller sent one", async () => {
    const error = await failure(
      clientFor(author.token).getBook({ params: { bookId: 'bk_nope' }, headers: { 'x-request-id': 'req_client-chosen-1' } }),
    );
    expect(error.requestId).toMatch(/^req_/);
    expect(error.requestId).not.toBe('req_client-chosen-1');
  });

  it('turns a stale write into CONFLICT carrying details.current', async () => {
    const api = clientFor(author.token);
    const book = await api.createBook({ body: { title: 'Versioned' } });
    const updated = await api.updateBook({ params: { bookId: book.id }, body: { version: 1, title: 'First edit' } });
    expect(updated.version).toBe(2);
    const error = await failure(api.updateBook({ params: { bookId: book.id }, body: { version: 1, title: 'Stale edit' } }));
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(error.details).toMatchObject({ current: { id: book.id, version: 2, title: 'First edit' } });
  });

  it('answers UNAUTHORIZED without a token or with a wrong one', async () => {
    for (const token of [null, 'aa_not-a-real-token']) {
      const error = await failure(clientFor(token).listBooks());
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(error.requestId).toMatch(/\S/);
    }
  });

  it('rejects a bad body with VALIDATION and its issues, without retrying', async () => {
    const before = retries.length;
    const error = await failure(clientFor(author.token).createBook({ body: { title: '   ' } }));
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect(error.details).toMatchObject({ issues: [expect.objectContaining({ path: 'title' })] });
    expect(retries.length).toBe(before);
  });

  it('pages a list with limit and nextCursor, newest first, ending with null', async () => {
    const user = await t.newUser();
    const api = clientFor(user.token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.createBook({ body: { title: `Book ${i}` } })).id);
    const seen: string[] = [];
    const cursors: Array<string | null> = [];
    let cursor: string | undefined;
    do {
      const page = await api.listBooks({ query: { limit: 2, cursor } });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((book) => book.id));
      cursors.push(page.nextCursor);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(cursors).toHaveLength(3);
    expect(cursors.at(-1)).toBeNull();
  });

  it('resolves a 204 delete to undefined, after which the book is gone', async () => {
    const api = clientFor(author.token);
    const book = await api.createBook({ body: { title: 'Short-lived' } });
    expect(await api.deleteBook({ params: { bookId: book.id } })).toBeUndefined();
    expect((await failure(api.getBook({ params: { bookId: book.id } }))).code).toBe('NOT_FOUND');
  });

  it('calls public endpoints with no token', async () => {
    const api = clientFor(null);
    expect(await api.live()).toEqual({ status: 'ok' });
    expect((await api.meta()).version).toMatch(/\S/);
  });

  it('reports an unreachable server as NETWORK after its retries', async () => {
    const closed = createApiClient({
      baseUrl: 'http://127.0.0.1:9', getToken: () => null, timeoutMs: 2_000, maxRetries: 1, initialRetryDelayMs: 1,
    });
    expect(await failure(closed.live())).toMatchObject({ status: 0, code: 'NETWORK', requestId: null });
  });
});
