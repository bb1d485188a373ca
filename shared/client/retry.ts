import type { RetryDecision } from '../retry.js';
import { ApiError } from './api-error.js';

/** Statuses worth another try: the gateway or the service is momentarily unavailable. Never 4xx, never 500. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** The API client's judgement of a failed attempt: network failures, timeouts and 502/503/504, after any `Retry-After`. */
export function clientRetryDecision(error: unknown): RetryDecision {
  if (!(error instanceof ApiError)) return { retry: false };
  const retryable = error.status === 0 ? error.code === 'NETWORK' || error.code === 'TIMEOUT' : RETRYABLE_STATUSES.has(error.status);
  if (!retryable) return { retry: false };
  return error.retryAfterS === undefined ? { retry: true } : { retry: true, serverWaitMs: error.retryAfterS * 1000 };
}
