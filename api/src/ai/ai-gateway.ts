import { newId } from '../../../shared/ids.js';
import { withRetry, type RetryDecision, type RetryPolicy } from '../../../shared/retry.js';
import type { GeneratedBy } from '../../../shared/schemas/ai.js';
import { AppError } from '../lib/app-error.js';
import type { LedgerStore } from '../stores/engine-types.js';
import { cacheKey, type AiCache } from './ai-cache.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { ProviderError, type AiTask, type LlmProvider, type StreamItemListener, type TokenUsage } from './llm.js';
import { reportItems } from './stream-items.js';

export interface AiCallContext {
  userId: string;
  bookId: string | null;
  jobId: string | null;
  /** Skip the cache lookup (an explicit regenerate); the fresh answer is still cached. */
  fresh: boolean;
  signal: AbortSignal;
  /**
   * Receives the items of the task's streamed list as they are written (the model's answer streams; template mode
   * and cache hits report theirs at once). Unvalidated as a whole until the call returns: for showing, not saving.
   */
  onItem?: StreamItemListener;
}

export interface AiCallResult<O> {
  output: O;
  generatedBy: GeneratedBy;
  cached: boolean;
}

/** Raised when the model stopped at its output limit; callers split the work or report AI_TRUNCATED. */
export class TruncatedError extends AppError {
  constructor() {
    super('AI_TRUNCATED', 'The model ran out of output room before finishing.');
  }
}

/** Retries of one model (AI_MAX_RETRIES of them): a server's Retry-After is waited out, at most 30 s. */
const modelRetryPolicy = (retries: number): RetryPolicy => ({
  retries, baseDelayMs: 250, maxDelayMs: 8_000, jitter: 0.5, maxServerWaitMs: 30_000, longerServerWait: 'cap',
});

/** Only transient failures (429, 5xx, timeouts) are tried again on the same model; a rejection never is. */
function modelRetryDecision(error: unknown): RetryDecision {
  if (!(error instanceof ProviderError) || error.kind !== 'retryable') return { retry: false };
  return { retry: true, serverWaitMs: error.options.retryAfterMs };
}
/** Rejections that concern the model itself (no access, no such model): they count against it in the breaker. */
const MODEL_LEVEL_REJECTIONS = new Set([401, 403, 404]);

/**
 * The one way services call AI: cache (per user) → single flight → model chain with retries and a circuit
 * breaker → schema validation (one repair attempt) → ledger row per call → cache write.
 */
export function createAiGateway(deps: {
  provider: LlmProvider;
  cache: AiCache;
  breaker: CircuitBreaker;
  ledger: LedgerStore;
  prices: Record<string, { input: number; output: number }>;
  maxRetries: number;
  now?: () => Date;
}) {
  const { provider, cache, breaker, ledger } = deps;
  const now = deps.now ?? (() => new Date());

  const costMicros = (model: string, usage: TokenUsage) => {
    const price = deps.prices[model];
    return price ? Math.round(usage.inputTokens * price.input + usage.outputTokens * price.output) : 0;
  };

  async function meter(task: AiTask<unknown, unknown>, ctx: AiCallContext, entry: { model: string; usage: TokenUsage; cached: boolean; outcome: string; latencyMs: number }) {
    await ledger.record({
      id: newId('ledger'), userId: ctx.userId, bookId: ctx.bookId, jobId: ctx.jobId, operation: task.operation,
      provider: provider.name, model: entry.model, inputTokens: entry.usage.inputTokens, outputTokens: entry.usage.outputTokens,
      costMicros: entry.cached ? 0 : costMicros(entry.model, entry.usage), cached: entry.cached, outcome: entry.outcome,
      latencyMs: entry.latencyMs, createdAt: now().toISOString(),
    });
  }

  const generatedBy = (task: AiTask<unknown, unknown>, model: string): GeneratedBy => ({
    provider: provider.name, model, promptVersion: task.promptVersion, offline: provider.offline,
  });

  /** One call of `model`, metered whatever happens; an answer cut short or off its schema is an error. */
  async function attemptModel<I, O>(task: AiTask<I, O>, input: I, model: string, ctx: AiCallContext): Promise<O> {
    const started = Date.now();
    try {
      const result = await provider.call(task, input, model, ctx.signal, ctx.onItem);
      const latencyMs = Date.now() - started;
      if (result.finishReason === 'length') {
        await meter(task as AiTask<unknown, unknown>, ctx, { model, usage: result.usage, cached: false, outcome: 'truncated', latencyMs });
        throw new TruncatedError();
      }
      const parsed = task.outputSchema.safeParse(result.output);
      if (parsed.success) {
        await meter(task as AiTask<unknown, unknown>, ctx, { model, usage: result.usage, cached: false, outcome: 'ok', latencyMs });
        return parsed.data;
      }
      throw new ProviderError('invalid_output', 'The model output does not match its schema.', { usage: result.usage });
    } catch (error) {
      if (error instanceof ProviderError) {
        const usage = error.options.usage ?? { inputTokens: 0, outputTokens: 0 };
        await meter(task as AiTask<unknown, unknown>, ctx, { model, usage, cached: false, outcome: error.kind, latencyMs: Date.now() - started });
      }
      throw error;
    }
  }

  /** A model with its retries; an off-schema answer is asked for again once (the repair), a second one is final. */
  async function callModel<I, O>(task: AiTask<I, O>, input: I, model: string, ctx: AiCallContext): Promise<O> {
    const withRetries = () =>
      withRetry(() => attemptModel(task, input, model, ctx), modelRetryPolicy(deps.maxRetries), modelRetryDecision, {
        signal: ctx.signal,
        abortError: () => ctx.signal?.reason ?? new Error('The AI call was cancelled.'),
      });
    const offSchema = (error: unknown) => error instanceof ProviderError && error.kind === 'invalid_output';
    try {
      return await withRetries();
    } catch (error) {
      if (!offSchema(error)) throw error;
    }
    try {
      return await withRetries();
    } catch (error) {
      if (offSchema(error)) throw new AppError('AI_INVALID_OUTPUT', 'The model twice returned output that does not fit the expected structure.');
      throw error;
    }
  }

  async function callChain<I, O>(task: AiTask<I, O>, input: I, ctx: AiCallContext): Promise<{ output: O; model: string }> {
    let lastError: unknown = null;
    for (const model of provider.models) {
      if (breaker.isOpen(model)) continue;
      try {
        const output = await callModel(task, input, model, ctx);
        breaker.success(model);
        return { output, model };
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // A rejected request (400, 413, 422) says nothing about the model's health; a missing model or no access does.
        if (error.kind !== 'rejected' || MODEL_LEVEL_REJECTIONS.has(error.options.status ?? 0)) breaker.failure(model);
        lastError = error;
      }
    }
    // Worded for authors (the panels show these messages as the reason): what happened, that nothing was saved, what next.
    if (lastError instanceof ProviderError && lastError.kind === 'rejected') {
      throw new AppError('AI_UNAVAILABLE', 'The AI model refused this request, so nothing was saved. Try again; if it keeps happening, tell whoever runs this server.', { status: lastError.options.status });
    }
    if (lastError instanceof ProviderError && lastError.options.cutOff) {
      throw new AppError('AI_UNAVAILABLE', 'The AI model stopped part-way through its answer, so nothing was saved. Try again in a moment.');
    }
    throw new AppError('AI_UNAVAILABLE', lastError
      ? 'The AI service is not available right now, so nothing was saved. Try again in a moment.'
      : 'The AI service failed several times just now and is paused for a minute; nothing was saved. Try again shortly.');
  }

  return {
    provider,
    /** Cost of `tokens` at the first model's prices (half input, half output). */
    estimateCostUsd(tokens: number): number {
      return costMicros(provider.models[0]!, { inputTokens: Math.ceil(tokens / 2), outputTokens: Math.floor(tokens / 2) }) / 1e6;
    },
    keyFor<I, O>(task: AiTask<I, O>, input: I, userId: string): string {
      return cacheKey({ userId, provider: provider.name, model: provider.models[0]!, promptVersion: task.promptVersion, input });
    },

    /**
     * Template mode's answer now, outside the cache and the ledger: a plan asks what template mode would do, to refuse
     * what it cannot before any job starts. Template mode only (a long text is analysed on its worker threads).
     */
    async templateAnswer<I, O>(task: AiTask<I, O>, input: I): Promise<O> {
      if (!provider.offline) throw new Error('templateAnswer is for template mode (the offline provider) only');
      return (await provider.call(task, input, provider.models[0]!, new AbortController().signal)).output as O;
    },

    /** True when the cache can answer this call (such requests are never refused for quota). */
    async isCached<I, O>(task: AiTask<I, O>, input: I, userId: string): Promise<boolean> {
      return (await cache.get(this.keyFor(task, input, userId))) !== null;
    },

    async run<I, O>(task: AiTask<I, O>, input: I, ctx: AiCallContext): Promise<AiCallResult<O>> {
      const key = this.keyFor(task, input, ctx.userId);
      const hit = async (answer: { output: unknown; model: string }): Promise<AiCallResult<O>> => {
        await meter(task as AiTask<unknown, unknown>, ctx, { model: answer.model, usage: { inputTokens: 0, outputTokens: 0 }, cached: true, outcome: 'ok', latencyMs: 0 });
        if (ctx.onItem && task.stream) reportItems(task as AiTask<unknown, unknown>, answer.output, ctx.onItem);
        return { output: task.outputSchema.parse(answer.output), generatedBy: generatedBy(task as AiTask<unknown, unknown>, answer.model), cached: true };
      };
      if (!ctx.fresh) {
        const cached = await cache.get(key);
        if (cached) return hit(cached);
        const pending = cache.pending(key);
        if (pending) return hit((await pending) as { output: unknown; model: string });
      }
      const answer = await cache.singleFlight(key, async () => {
        const { output, model } = await callChain(task, input, ctx);
        await cache.put(key, ctx.userId, { output, model });
        return { output, model };
      });
      return { output: answer.output as O, generatedBy: generatedBy(task as AiTask<unknown, unknown>, answer.model), cached: false };
    },
  };
}
export type AiGateway = ReturnType<typeof createAiGateway>;
