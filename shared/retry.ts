/**
 * One retry rule for every call that crosses a network: the API client, the AI gateway, the Docs client and the
 * panels' autosave each pass their own explicit policy and their own judgement of which failures are worth another attempt.
 */

/** How a call site retries. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** Delay before the first retry; doubles on each later one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Downward jitter (0–1): the delay is cut by up to this share, so callers that failed together do not return together. */
  jitter: number;
  /** Longest wait a server may ask for (`Retry-After`) that is honoured. */
  maxServerWaitMs: number;
  /** When the server asks for longer: stop retrying (and surface the failure) or wait `maxServerWaitMs`. */
  longerServerWait: 'give-up' | 'cap';
}

/** What the call site makes of a failure: not worth another attempt, or worth one (after the server's wait, if it asked). */
export type RetryDecision = { retry: false } | { retry: true; serverWaitMs?: number };

export interface RetryOptions {
  /** Stops the waiting between attempts. */
  signal?: AbortSignal;
  /** What to throw when `signal` aborts a wait (default: the last failure). */
  abortError?: () => unknown;
  /** Told before each wait (e.g. to show "reconnecting…"). */
  onRetry?: (info: { retry: number; delayMs: number; error: unknown }) => void;
  random?: () => number;
}

/** Delay before retry number `retry` (1-based), or null when the server asked for a wait the policy does not accept. */
export function retryDelayMs(retry: number, serverWaitMs: number | undefined, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (serverWaitMs !== undefined) {
    if (serverWaitMs <= policy.maxServerWaitMs) return serverWaitMs;
    return policy.longerServerWait === 'cap' ? policy.maxServerWaitMs : null;
  }
  const exponential = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
  return Math.round(exponential * (1 - random() * policy.jitter));
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

/** Runs `attempt` until it succeeds, `decide` says a failure is final, or the policy's retries are spent. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  decide: (error: unknown) => RetryDecision,
  options: RetryOptions = {},
): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const decision = retry > policy.retries ? ({ retry: false } as const) : decide(error);
      if (!decision.retry) throw error;
      const delayMs = retryDelayMs(retry, decision.serverWaitMs, policy, options.random);
      if (delayMs === null) throw error;
      options.onRetry?.({ retry, delayMs, error });
      if (!(await sleep(delayMs, options.signal))) throw options.abortError ? options.abortError() : error;
    }
  }
}
