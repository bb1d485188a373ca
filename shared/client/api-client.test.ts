import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { endpoint, endpoints } from '../contract/index.js';
import type { Book } from '../schemas/books.js';
import { ApiError, buildQuery, isApiError, parseRetryAfter } from './api-client.js';
import { SAMPLE_BOOK, apiFailure, errorResponse, fakeFetch, jsonResponse, testClient } from './testing.js';

const CHAPTER = {
  id: 'ch_1', bookId: SAMPLE_BOOK.id, parentId: null, position: 0, title: 'One', description: null, status: 'planned',
  archived: false, archivedAt: null, version: 1, createdAt: SAMPLE_BOOK.createdAt, updatedAt: SAMPLE_BOOK.updatedAt,
};

describe('requests', () => {
  it('builds the URL, auth and JSON headers from the endpoint declaration', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(201, SAMPLE_BOOK));
    const book = await testClient(fetch).createBook({ body: { title: 'Été' } });
    expect(book).toEqual(SAMPLE_BOOK);
    const [call] = calls;
    expect(call?.url).toBe('https://api.test/v1/books');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.body).toBe(JSON.stringify({ title: 'Été' }));
    expect(call?.headers.get('authorization')).toBe('Bearer aa_token');
    expect(call?.headers.get('content-type')).toBe('application/json');
  });

  it('encodes path params and sends only defined query values', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(200, { items: [], nextCursor: null }));
    await testClient(fetch).listChapters({
      params: { bookId: 'bk/1 ?' }, query: { limit: 5, cursor: undefined, includeArchived: 'true' },
    });
    expect(calls[0]?.url).toBe('https://api.test/v1/books/bk%2F1%20%3F/chapters?limit=5&includeArchived=true');
    expect(calls[0]?.headers.has('content-type')).toBe(false);
    expect(buildQuery({ a: [1, 2], b: null, c: undefined, d: 'x y' })).toBe('?a=1&a=2&d=x+y');
    expect(buildQuery({ a: undefined })).toBe('');
  });

  it('awaits an async getToken and sends no Authorization header when it returns null', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(200, { status: 'ok' }));
    await testClient(fetch, { getToken: async () => null }).live();
    expect(calls[0]?.headers.has('authorization')).toBe(false);
    expect(calls[0]?.url).toBe('https://api.test/health/live');
  });

  it('resolves a 204 to undefined and passes extra headers through', async () => {
    const { fetch, calls } = fakeFetch(new Response(null, { status: 204 }));
    const result = await testClient(fetch).deleteBook({
      params: { bookId: SAMPLE_BOOK.id }, headers: { 'x-request-id': 'req_mine', Authorization: 'Bearer aa_admin' },
    });
    expect(result).toBeUndefined();
    expect(calls[0]?.headers.get('x-request-id')).toBe('req_mine');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer aa_admin');
  });

  it('has one typed method per declared endpoint, plus request()', async () => {
    const api = testClient(fakeFetch(jsonResponse(200, SAMPLE_BOOK)).fetch);
    for (const name of Object.keys(endpoints)) expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
    expect(await api.request(endpoints.getBook, { params: { bookId: SAMPLE_BOOK.id } })).toEqual(SAMPLE_BOOK);
    expectTypeOf<Parameters<typeof api.getBook>[0]['params']>().toEqualTypeOf<{ bookId: string }>();
    expectTypeOf<Parameters<typeof api.createBook>[0]['body']['title']>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<typeof api.getMe>>().toEqualTypeOf<[options?: Parameters<typeof api.getMe>[0]]>();
    expectTypeOf(api.getBook).returns.resolves.toEqualTypeOf<Book>();
    expectTypeOf(api.deleteBook).returns.resolves.toEqualTypeOf<undefined>();
    expectTypeOf(api.listBooks).returns.resolves.toHaveProperty('nextCursor').toEqualTypeOf<string | null>();
  });
});

describe('lenient parsing', () => {
  it('ignores unknown fields', async () => {
    const book = await testClient(fakeFetch(jsonResponse(200, { ...SAMPLE_BOOK, shinyNewField: 1 })).fetch).getBook({ params: { bookId: SAMPLE_BOOK.id } });
    expect(book).toEqual(SAMPLE_BOOK);
  });

  it('tolerates values this client does not know yet (a new enum member)', async () => {
    const api = testClient(fakeFetch(jsonResponse(200, { ...CHAPTER, status: 'reviewing' })).fetch);
    const chapter = await api.getChapter({ params: { bookId: SAMPLE_BOOK.id, chapterId: 'ch_1' } });
    expect(chapter.status).toBe('reviewing');
  });

  it('throws INVALID_RESPONSE when a required field is missing or has the wrong type', async () => {
    const { title: _title, ...withoutTitle } = SAMPLE_BOOK;
    const missing = await apiFailure(testClient(fakeFetch(jsonResponse(200, withoutTitle, { 'x-request-id': 'req_h' })).fetch)
      .getBook({ params: { bookId: SAMPLE_BOOK.id } }));
    expect(missing).toMatchObject({ status: 200, code: 'INVALID_RESPONSE', requestId: 'req_h' });
    expect(missing.details).toEqual({ issues: [expect.objectContaining({ path: 'title' })] });
    const wrongType = await apiFailure(testClient(fakeFetch(jsonResponse(200, { ...SAMPLE_BOOK, version: '1' })).fetch)
      .getBook({ params: { bookId: SAMPLE_BOOK.id } }));
    expect(wrongType.code).toBe('INVALID_RESPONSE');
  });

  it('throws INVALID_RESPONSE for a success answer that is not JSON', async () => {
    const error = await apiFailure(testClient(fakeFetch(new Response('<html>hi</html>', { status: 200 })).fetch).getMe());
    expect(error).toMatchObject({ status: 200, code: 'INVALID_RESPONSE', details: { body: '<html>hi</html>' } });
  });

  it('returns a declared non-error body (readiness 503) instead of throwing or retrying', async () => {
    const ready = { status: 'down', version: '1', uptimeS: 1, checks: {} };
    const { fetch, calls } = fakeFetch(jsonResponse(503, ready));
    expect(await testClient(fetch).ready()).toEqual(ready);
    expect(calls).toHaveLength(1);
  });
});

describe('errors', () => {
  it('carries status, code, message, requestId and details from the shared error shape', async () => {
    const current = { ...SAMPLE_BOOK, version: 3 };
    const error = await apiFailure(testClient(fakeFetch(errorResponse(409, 'CONFLICT', { details: { current } })).fetch)
      .updateBook({ params: { bookId: SAMPLE_BOOK.id }, body: { version: 2, title: 'x' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ApiError', status: 409, code: 'CONFLICT', message: 'CONFLICT happened', requestId: 'req_body' });
    expect(error.details).toEqual({ current });
    expect(error.retryAfterS).toBeUndefined();
  });

  it('maps unknown codes (including Object.prototype names) to the generic INTERNAL', async () => {
    for (const code of ['BRAND_NEW_CODE', 'constructor', 'toString']) {
      const error = await apiFailure(testClient(fakeFetch(errorResponse(418, code)).fetch).getMe());
      expect(error).toMatchObject({ status: 418, code: 'INTERNAL', serverCode: code });
    }
  });

  it('reads the request id from the header when the body is not the error shape', async () => {
    const proxyPage = new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'x-request-id': 'req_hdr' } });
    const error = await apiFailure(testClient(fakeFetch(proxyPage).fetch, { maxRetries: 0 }).getMe());
    expect(error).toMatchObject({ status: 502, code: 'INTERNAL', requestId: 'req_hdr', details: { body: '<h1>Bad gateway</h1>' } });
  });

  it('exposes Retry-After as retryAfterS and never retries a 429', async () => {
    const { fetch, calls } = fakeFetch(errorResponse(429, 'RATE_LIMITED', {}, { 'retry-after': '7' }));
    const error = await apiFailure(testClient(fetch).getMe());
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterS: 7 });
    expect(calls).toHaveLength(1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('1.2', now)).toBe(2);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('isApiError narrows only ApiErrors', () => {
    expect(isApiError(new ApiError({ status: 0, code: 'NETWORK', message: 'x' }))).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError({ status: 404, code: 'NOT_FOUND' })).toBe(false);
  });
});

describe('request() with any declaration', () => {
  it('types and serves an endpoint that is not in the shared map', async () => {
    const echo = endpoint({
      method: 'PUT', path: '/v1/echo/:id', auth: 'user', tag: 't', summary: 's', status: 200,
      params: z.object({ id: z.string() }), body: z.object({ n: z.number() }), response: z.object({ n: z.number() }),
    });
    const { fetch, calls } = fakeFetch(jsonResponse(200, { n: 2, extra: true }));
    const result = await testClient(fetch).request(echo, { params: { id: 'a' }, body: { n: 2 } });
    expectTypeOf(result).toEqualTypeOf<{ n: number }>();
    expect(result).toEqual({ n: 2 });
    expect(calls[0]?.url).toBe('https://api.test/v1/echo/a');
  });
});
