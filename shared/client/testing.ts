import type { Book } from '../schemas/books.js';
import { createApiClient, isApiError, type ApiClientOptions, type ApiError } from './api-client.js';

// Test support for the client: a fake fetch that speaks the real wire format (real Response/Headers objects).

/** A book exactly as the API presents one. */
export const SAMPLE_BOOK: Book = {
  id: 'bk_01HZY0000000000000000000AA', title: 'Été', subtitle: null, description: null, genre: null, audience: null,
  language: null, targetWords: null, standingInstructions: null, voiceSample: null, documentId: null, tabId: null, version: 1, tocVersion: 1,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', deletedAt: null,
};

/** One queued answer: a response, a thrown error (network failure), or a function of the request. */
export type FakeReply = Response | Error | ((init: RequestInit) => Promise<Response>);
/** What the fake fetch was asked. */
export interface FakeCall { url: string; init: RequestInit; headers: Headers }

/** A fake fetch answering from a queue (the last reply repeats) and recording every call. */
export function fakeFetch(...replies: FakeReply[]) {
  const calls: FakeCall[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init, headers: new Headers(init.headers) });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    if (reply === undefined) throw new Error('fake fetch: no reply queued');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(init);
    return reply.clone();
  };
  return { fetch, calls };
}

/** A JSON response. */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A response in the shared error shape, request id `req_body` in body and header. */
export const errorResponse = (
  status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {},
) => jsonResponse(
  status, { error: { code, message: `${code} happened`, requestId: 'req_body', ...extra } },
  { 'x-request-id': 'req_body', ...headers },
);

/** Never answers until the request's signal aborts, like a hung server (and rejects at once if already aborted). */
export const hang = (init: RequestInit) =>
  new Promise<Response>((_, reject) => {
    if (init.signal?.aborted) reject(new DOMException('aborted', 'AbortError'));
    init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });

/** A client on a fake fetch with test-sized timeouts and backoff. */
export function testClient(fetch: ApiClientOptions['fetch'], options: Partial<ApiClientOptions> = {}) {
  return createApiClient({
    baseUrl: 'https://api.test/', getToken: () => 'aa_token', fetch, timeoutMs: 1_000, maxRetries: 2,
    initialRetryDelayMs: 5, maxRetryDelayMs: 20, ...options,
  });
}

/** Awaits a call that must fail and returns its ApiError. */
export async function apiFailure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}
