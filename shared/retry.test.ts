import { describe, expect, it } from 'vitest';
import { retryDelayMs, withRetry, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { retries: 2, baseDelayMs: 1, maxDelayMs: 4, jitter: 0.25, maxServerWaitMs: 5, longerServerWait: 'give-up' };

/** An attempt that fails with each of `failures` in turn, then answers 'done'. */
function flaky(failures: unknown[]) {
  let calls = 0;
  return {
    attempt: async () => {
      calls++;
      if (failures.length > 0) throw failures.shift();
      return 'done';
    },
    calls: () => calls,
  };
}

describe('withRetry', () => {
  it('tries again while the call site says so, at most `retries` times', async () => {
    const twice = flaky(['a', 'b']);
    expect(await withRetry(twice.attempt, policy, () => ({ retry: true }))).toBe('done');
    expect(twice.calls()).toBe(3);

    const thrice = flaky(['a', 'b', 'c']);
    await expect(withRetry(thrice.attempt, policy, () => ({ retry: true }))).rejects.toBe('c');
    expect(thrice.calls()).toBe(3);
  });

  it('stops at once on a failure the call site calls final, and tells onRetry about each wait', async () => {
    const seen: number[] = [];
    const run = flaky(['transient', 'final']);
    const decide = (error: unknown) => ({ retry: error === 'transient' });
    await expect(withRetry(run.attempt, policy, decide, { onRetry: ({ retry }) => seen.push(retry) })).rejects.toBe('final');
    expect(run.calls()).toBe(2);
    expect(seen).toEqual([1]);
  });

  it('gives up when the server asks for a longer wait than a give-up policy accepts', async () => {
    const run = flaky(['busy']);
    await expect(withRetry(run.attempt, policy, () => ({ retry: true, serverWaitMs: 60_000 }))).rejects.toBe('busy');
    expect(run.calls()).toBe(1);
  });

  it('throws what abortError makes when the signal stops a wait', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = flaky(['busy']);
    await expect(withRetry(run.attempt, policy, () => ({ retry: true }), { signal: controller.signal, abortError: () => 'cancelled' })).rejects.toBe('cancelled');
  });
});

describe('retryDelayMs', () => {
  it('doubles from baseDelayMs up to maxDelayMs, cut by at most the jitter share', () => {
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(retry, undefined, policy, () => 0))).toEqual([1, 2, 4, 4]);
    const wide = { ...policy, baseDelayMs: 1_000, maxDelayMs: 8_000 };
    expect(retryDelayMs(1, undefined, wide, () => 1)).toBe(750);
  });

  it("honours the server's wait up to maxServerWaitMs; past it gives up or caps, as the policy says", () => {
    expect(retryDelayMs(1, 3, policy)).toBe(3);
    expect(retryDelayMs(1, 6, policy)).toBeNull();
    expect(retryDelayMs(1, 6, { ...policy, longerServerWait: 'cap' })).toBe(5);
  });
});
