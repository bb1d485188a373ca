import { describe, expect, it } from 'vitest';
import type { RetryInfo } from './api-client.js';
import { SAMPLE_BOOK, apiFailure, errorResponse, fakeFetch, hang, jsonResponse, testClient } from './testing.js';

describe('retries', () => {
  it('retries 502/503/504 with growing, jittered delays and then succeeds', async () => {
    const retries: RetryInfo[] = [];
    const { fetch, calls } = fakeFetch(errorResponse(503, 'AI_UNAVAILABLE'), new Response('', { status: 504 }), jsonResponse(200, SAMPLE_BOOK));
    const api = testClient(fetch, { initialRetryDelayMs: 8, maxRetryDelayMs: 100, onRetry: (info) => retries.push(info) });
    expect(await api.getBook({ params: { bookId: SAMPLE_BOOK.id } })).toEqual(SAMPLE_BOOK);
    expect(calls).toHaveLength(3);
    expect(retries.map((r) => [r.retry, r.error.status, r.method, r.path])).toEqual([
      [1, 503, 'GET', `/v1/books/${SAMPLE_BOOK.id}`], [2, 504, 'GET', `/v1/books/${SAMPLE_BOOK.id}`],
    ]);
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(6);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(8);
    expect(retries[1]?.delayMs).toBeGreaterThanOrEqual(12);
    expect(retries[1]?.delayMs).toBeLessThanOrEqual(16);
  });

  it('caps the delay at maxRetryDelayMs', async () => {
    const retries: RetryInfo[] = [];
    const { fetch } = fakeFetch(new Response('', { status: 502 }));
    await apiFailure(testClient(fetch, { maxRetries: 4, initialRetryDelayMs: 4, maxRetryDelayMs: 10, onRetry: (i) => retries.push(i) }).getMe());
    expect(retries).toHaveLength(4);
    for (const info of retries) expect(info.delayMs).toBeLessThanOrEqual(10);
  });

  it('gives up after maxRetries and reports the last error', async () => {
    const { fetch, calls } = fakeFetch(errorResponse(503, 'AI_UNAVAILABLE'));
    const error = await apiFailure(testClient(fetch, { maxRetries: 2 }).getMe());
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(calls).toHaveLength(3);
  });

  it('never retries a 500 or any 4xx', async () => {
    for (const [status, code] of [[500, 'INTERNAL'], [400, 'VALIDATION'], [401, 'UNAUTHORIZED'], [404, 'NOT_FOUND']] as const) {
      const { fetch, calls } = fakeFetch(errorResponse(status, code));
      expect((await apiFailure(testClient(fetch).getMe())).code).toBe(code);
      expect(calls).toHaveLength(1);
    }
  });

  it('honours Retry-After on a retryable status instead of the computed backoff', async () => {
    const retries: RetryInfo[] = [];
    const { fetch, calls } = fakeFetch(errorResponse(503, 'AI_UNAVAILABLE', {}, { 'retry-after': '0' }), jsonResponse(200, SAMPLE_BOOK));
    const api = testClient(fetch, { initialRetryDelayMs: 5_000, onRetry: (info) => retries.push(info) });
    await api.getBook({ params: { bookId: SAMPLE_BOOK.id } });
    expect(calls).toHaveLength(2);
    expect(retries[0]?.delayMs).toBe(0);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs: the error carries it instead', async () => {
    const { fetch, calls } = fakeFetch(errorResponse(503, 'AI_UNAVAILABLE', {}, { 'retry-after': '120' }));
    const error = await apiFailure(testClient(fetch, { maxRetryAfterMs: 60_000 }).getMe());
    expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', retryAfterS: 120 });
    expect(calls).toHaveLength(1);
  });

  it('turns a network failure into NETWORK (status 0) after retrying it', async () => {
    const { fetch, calls } = fakeFetch(new TypeError('fetch failed'));
    const error = await apiFailure(testClient(fetch, { maxRetries: 1 }).getMe());
    expect(error).toMatchObject({ status: 0, code: 'NETWORK', requestId: null, isNetworkError: true });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(2);
  });

  it('recovers when the network comes back', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'), jsonResponse(200, SAMPLE_BOOK));
    expect(await testClient(fetch).getBook({ params: { bookId: SAMPLE_BOOK.id } })).toEqual(SAMPLE_BOOK);
  });
});

describe('timeouts and cancellation', () => {
  it('aborts an attempt after timeoutMs with TIMEOUT, retrying it like a network failure', async () => {
    const { fetch, calls } = fakeFetch(hang);
    const started = Date.now();
    const error = await apiFailure(testClient(fetch, { timeoutMs: 30, maxRetries: 1 }).getMe());
    expect(error).toMatchObject({ status: 0, code: 'TIMEOUT' });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("fails with ABORTED and no retry when the caller's signal aborts mid-flight", async () => {
    const { fetch, calls } = fakeFetch(hang);
    const controller = new AbortController();
    const pending = testClient(fetch).getMe({ signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(await apiFailure(pending)).toMatchObject({ status: 0, code: 'ABORTED' });
    expect(calls).toHaveLength(1);
  });

  it('stops waiting between retries when the caller aborts', async () => {
    const { fetch, calls } = fakeFetch(new Response('', { status: 503 }));
    const controller = new AbortController();
    const api = testClient(fetch, { initialRetryDelayMs: 10_000, maxRetryDelayMs: 10_000, onRetry: () => controller.abort() });
    const started = Date.now();
    expect(await apiFailure(api.getMe({ signal: controller.signal }))).toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(1);
  });

  it('aborts when the signal fires while the token is being fetched', async () => {
    const { fetch, calls } = fakeFetch(hang);
    const controller = new AbortController();
    const getToken = async () => { controller.abort(); return 'aa_token'; };
    expect(await apiFailure(testClient(fetch, { getToken }).getMe({ signal: controller.signal }))).toMatchObject({ code: 'ABORTED' });
    expect(calls).toHaveLength(0);
  });

  it('does not call fetch at all with an already-aborted signal', async () => {
    const { fetch, calls } = fakeFetch(jsonResponse(200, SAMPLE_BOOK));
    const error = await apiFailure(testClient(fetch).getMe({ signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(calls).toHaveLength(0);
  });
});
