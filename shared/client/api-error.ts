import { ERROR_STATUS, ErrorBodySchema, normalizeErrorCode, type ErrorCode } from '../errors.js';

/** Codes the client itself produces when there is no usable server answer (status 0, or a 2xx it cannot use). */
export const CLIENT_ERROR_CODES = ['NETWORK', 'TIMEOUT', 'ABORTED', 'INVALID_RESPONSE'] as const;

/** A client-side error code: NETWORK (no answer), TIMEOUT (no answer in time), ABORTED (caller's signal), INVALID_RESPONSE. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code an `ApiError` can carry: the shared server table plus the client-side codes. */
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** Fields of an `ApiError`, as its constructor takes them. */
export interface ApiErrorInit {
  status: number;
  code: ApiErrorCode;
  message: string;
  requestId?: string | null;
  details?: unknown;
  retryAfterS?: number;
  /** The code exactly as the server sent it (before normalisation), when there was one. */
  serverCode?: string | null;
  cause?: unknown;
}

/** Any failed API call: server errors in the shared shape, network failures (status 0) and unusable responses. */
export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived (NETWORK, TIMEOUT, ABORTED). */
  readonly status: number;
  /** Normalised code; decide on this, never on `status`. Unknown server codes become INTERNAL. */
  readonly code: ApiErrorCode;
  /** The server's request id (body, else the `x-request-id` header); null when nothing answered. */
  readonly requestId: string | null;
  readonly details: unknown;
  /** Seconds the server asked us to wait (`Retry-After`), when it sent one. */
  readonly retryAfterS: number | undefined;
  readonly serverCode: string | null;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details;
    this.retryAfterS = init.retryAfterS;
    this.serverCode = init.serverCode ?? null;
  }

  /** True for failures where no HTTP answer arrived (network down, timeout, aborted). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

/** Narrows an unknown thrown value to `ApiError`. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into whole seconds, or undefined when absent/unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** `normalizeErrorCode`, guarded against names inherited from Object.prototype (`in` sees those too). */
function serverErrorCode(code: unknown): ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, code)
    ? normalizeErrorCode(code)
    : normalizeErrorCode(undefined);
}

/** Builds the `ApiError` for a non-success HTTP response from its status, headers and (possibly non-JSON) body. */
export function errorFromResponse(status: number, headers: Headers, body: unknown): ApiError {
  const headerRequestId = headers.get('x-request-id');
  const retryAfterS = parseRetryAfter(headers.get('retry-after'));
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, requestId, details } = parsed.data.error;
    return new ApiError({
      status, code: serverErrorCode(code), message, requestId: requestId || headerRequestId, details, retryAfterS,
      serverCode: code,
    });
  }
  // Not our error shape (a proxy page, an empty 502): keep what we can and fall back to the generic code.
  const rawCode = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return new ApiError({
    status,
    code: serverErrorCode(rawCode),
    message: `The server answered HTTP ${status} without a readable error.`,
    requestId: headerRequestId,
    details: body === undefined ? undefined : { body },
    retryAfterS,
    serverCode: typeof rawCode === 'string' ? rawCode : null,
  });
}
