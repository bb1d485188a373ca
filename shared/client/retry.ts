import { ApiError } from './api-error.js';

/** Statuses worth another try: the gateway or the service is momentarily unavailable. Never 4xx, never 500. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** How long to wait between attempts. */
export interface BackoffOptions {
  /** Delay before the first retry; doubles on each later one. */
  initialRetryDelayMs: number;
  /** Cap for the computed (exponential) delay. */
  maxRetryDelayMs: number;
  /** Longest `Retry-After` the client waits out; a longer one ends the retries and surfaces `retryAfterS`. */
  maxRetryAfterMs: number;
}

/** Whether a failed attempt may be repeated: network failures and timeouts, and 502/503/504. */
export function isRetryable(error: ApiError): boolean {
  if (error.status === 0) return error.code === 'NETWORK' || error.code === 'TIMEOUT';
  return RETRYABLE_STATUSES.has(error.status);
}

/**
 * Delay before retry number `retry` (1-based), or null when the server asked for a wait longer than we accept.
 * Exponential with up to 25% downward jitter, so clients that failed together do not return together.
 */
export function retryDelayMs(
  retry: number,
  error: ApiError,
  options: BackoffOptions,
  random: () => number = Math.random,
): number | null {
  if (error.retryAfterS !== undefined) {
    const asked = error.retryAfterS * 1000;
    return asked <= options.maxRetryAfterMs ? asked : null;
  }
  const exponential = Math.min(options.initialRetryDelayMs * 2 ** (retry - 1), options.maxRetryDelayMs);
  return Math.round(exponential * (1 - random() * 0.25));
}

/** Waits `ms`, resolving early with `false` if `signal` aborts (true when the full wait elapsed). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
