import type { z } from 'zod';
import {
  buildPath, endpoints, type DownloadedFile, type EndpointBody, type EndpointDef, type EndpointName, type EndpointParams, type EndpointQuery,
  type EndpointResult, type Endpoints,
} from '../contract/index.js';
import { ApiError, errorFromResponse } from './api-error.js';
import { parseLeniently } from './lenient-parse.js';
import { withRetry, type RetryPolicy } from '../retry.js';
import { clientRetryDecision } from './retry.js';

export { ApiError, CLIENT_ERROR_CODES, isApiError, parseRetryAfter } from './api-error.js';
export type { ApiErrorCode, ApiErrorInit, ClientErrorCode } from './api-error.js';

/** What the client tells `onRetry` before it waits and tries again. */
export interface RetryInfo {
  method: string;
  path: string;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  error: ApiError;
}

/** Options of `createApiClient`; everything but `baseUrl` has a default. */
export interface ApiClientOptions {
  /** API origin (and optional path prefix), e.g. `https://api.example.com`; `''` for same-origin. */
  baseUrl: string;
  /** The API token, or null to send no Authorization header; called before every attempt. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Injected fetch (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt deadline, including reading the body (default 30 000 ms). */
  timeoutMs?: number;
  /** Retries after the first attempt, only for network failures, timeouts and 502/503/504 (default 2). */
  maxRetries?: number;
  /** Delay before the first retry, doubling after (default 500 ms). */
  initialRetryDelayMs?: number;
  /** Cap for the exponential delay (default 8 000 ms). */
  maxRetryDelayMs?: number;
  /** Longest `Retry-After` waited out; longer ones stop retrying and surface `retryAfterS` (default 60 000 ms). */
  maxRetryAfterMs?: number;
  /** Called before each retry (e.g. to show "reconnecting…"). */
  onRetry?: (info: RetryInfo) => void;
}

/** `key: T`, optional when T accepts undefined or an empty object, absent when the endpoint has no such part. */
type Part<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: undefined }
  : undefined extends T
    ? { [P in K]?: T }
    : object extends T
      ? { [P in K]?: T }
      : { [P in K]: T };

/** The second argument of a call: the endpoint's params, query and body, typed from its declaration. */
export type RequestOptions<E extends EndpointDef> = Part<'params', EndpointParams<E>> &
  Part<'query', EndpointQuery<E>> &
  Part<'body', EndpointBody<E>> & {
    /** Cancels the call (including retries); the call then fails with code ABORTED. */
    signal?: AbortSignal;
    /** Extra headers, e.g. `x-google-access-token`. */
    headers?: Record<string, string>;
  };

/** The options argument, itself optional when the endpoint needs nothing. */
export type RequestArgs<E extends EndpointDef> = object extends RequestOptions<E>
  ? [options?: RequestOptions<E>]
  : [options: RequestOptions<E>];

type OtherResult<E extends EndpointDef> = E['otherResponses'] extends Record<number, infer S>
  ? S extends z.ZodType ? z.output<S> : never
  : never;

/** What a call resolves to: the success body (undefined for 204), or a declared non-error body (readiness 503). */
export type ClientResult<E extends EndpointDef> = EndpointResult<E> | OtherResult<E>;

/** One typed method per endpoint of a map. */
export type EndpointMethods<M extends Record<string, EndpointDef>> = {
  [K in keyof M]: (...args: RequestArgs<M[K]>) => Promise<ClientResult<M[K]>>;
};

/** The typed API client: one method per entry of `endpoints`, plus `request` for any endpoint declaration. */
export type ApiClient = EndpointMethods<Endpoints> & {
  request<E extends EndpointDef>(endpoint: E, ...args: RequestArgs<E>): Promise<ClientResult<E>>;
};

// `request` is the generic entry point; an endpoint of that name would shadow it.
const _noNameClash: [Extract<EndpointName, 'request'>] extends [never] ? true : never = true;

interface AnyRequestOptions {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const DEFAULTS = {
  timeoutMs: 30_000, maxRetries: 2, initialRetryDelayMs: 500, maxRetryDelayMs: 8_000, maxRetryAfterMs: 60_000,
};
const MAX_RAW_BODY_CHARS = 500;

/** Builds `?a=1&b=x` from the defined values of a query object (arrays repeat the key; null/undefined are left out). */
export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      search.append(key, item instanceof Date ? item.toISOString() : String(item));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Creates the typed client every front-end uses (browser, extension, Apps Script sidebar: no Node-only APIs). */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const getToken = options.getToken ?? (() => null);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  // A longer Retry-After than the client waits out ends the retries and surfaces `retryAfterS` to the caller.
  const retryPolicy: RetryPolicy = {
    retries: Math.max(0, options.maxRetries ?? DEFAULTS.maxRetries),
    baseDelayMs: options.initialRetryDelayMs ?? DEFAULTS.initialRetryDelayMs,
    maxDelayMs: options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
    jitter: 0.25,
    maxServerWaitMs: options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs,
    longerServerWait: 'give-up',
  };

  /** One attempt: fetch under its own deadline, then read and judge the body. */
  async function attempt(def: EndpointDef, url: string, call: AnyRequestOptions): Promise<unknown> {
    const token = await getToken();
    if (call.signal?.aborted) throw aborted();
    // A Headers object, so a caller's `Authorization` and ours cannot both be sent under different cases.
    const headers = new Headers(call.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    const hasBody = call.body !== undefined;
    if (hasBody) headers.set('content-type', 'application/json');

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort();
    call.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const failure = (cause: unknown) =>
      timedOut
        ? new ApiError({ status: 0, code: 'TIMEOUT', message: `No answer from the API within ${timeoutMs} ms.`, cause })
        : call.signal?.aborted
          ? aborted(cause)
          : new ApiError({ status: 0, code: 'NETWORK', message: 'Could not reach the API.', cause });

    try {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, {
          method: def.method, headers, body: hasBody ? JSON.stringify(call.body) : undefined, signal: controller.signal,
        });
        if (def.produces === 'application/octet-stream' && response.ok) return await downloadedFile(response);
        text = await response.text();
      } catch (cause) {
        throw failure(cause);
      }
      return judge(def, response, text);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function send(def: EndpointDef, call: AnyRequestOptions = {}): Promise<unknown> {
    const path = buildPath(def.path, call.params);
    const url = `${baseUrl}${path}${buildQuery(call.query)}`;
    return withRetry(
      () => {
        if (call.signal?.aborted) throw aborted();
        return attempt(def, url, call);
      },
      retryPolicy,
      clientRetryDecision,
      {
        signal: call.signal,
        abortError: () => aborted(),
        onRetry: ({ retry, delayMs, error }) => options.onRetry?.({ method: def.method, path, retry, delayMs, error: error as ApiError }),
      },
    );
  }

  const client: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(endpoints) as Array<[string, EndpointDef]>) {
    client[name] = (call?: AnyRequestOptions) => send(def, call);
  }
  client.request = (def: EndpointDef, call?: AnyRequestOptions) => send(def, call);
  return client as ApiClient;
}

/** A file download's body and the name the server offers it under (RFC 5987 `filename*` first). */
async function downloadedFile(response: Response): Promise<DownloadedFile> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const extended = /filename\*=UTF-8''([^;]+)/iu.exec(disposition)?.[1];
  let filename = /filename="([^"]*)"/iu.exec(disposition)?.[1] ?? null;
  if (extended) {
    try {
      filename = decodeURIComponent(extended);
    } catch {
      // a malformed name: keep the plain one
    }
  }
  return { blob: await response.blob(), filename, mediaType: response.headers.get('content-type') ?? 'application/octet-stream' };
}

function aborted(cause?: unknown): ApiError {
  return new ApiError({ status: 0, code: 'ABORTED', message: 'The request was cancelled.', cause });
}

/** Turns a response into the call's result, or throws the matching ApiError. */
function judge(def: EndpointDef, response: Response, text: string): unknown {
  const json = readJson(text);
  const otherSchema = def.otherResponses?.[response.status];
  if (!response.ok && !otherSchema) {
    throw errorFromResponse(response.status, response.headers, json.ok ? json.value : rawBody(text));
  }
  const schema = otherSchema ?? def.response;
  if (!schema || response.status === 204) return undefined;
  const invalid = (message: string, details: unknown) =>
    new ApiError({
      status: response.status, code: 'INVALID_RESPONSE', message, requestId: response.headers.get('x-request-id'),
      details,
    });
  if (!json.ok || json.value === undefined) {
    throw invalid(`The API answered ${def.method} ${def.path} without a JSON body.`, { body: rawBody(text) });
  }
  const parsed = parseLeniently(schema, json.value);
  if (!parsed.ok) {
    throw invalid(`The API's answer to ${def.method} ${def.path} lacks fields this client needs.`, { issues: parsed.issues });
  }
  return parsed.value;
}

function readJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function rawBody(text: string): string | undefined {
  return text === '' ? undefined : text.slice(0, MAX_RAW_BODY_CHARS);
}
