import type { z } from 'zod';
import type { AiJobKind } from '../../../shared/schemas/ai.js';

/**
 * One kind of AI call: a versioned prompt module. Author text goes into `messages` as delimited data; the
 * model answers JSON matching `outputSchema` (every field required, optional ones nullable, as structured
 * outputs demand). `offline` is the deterministic no-network answer of the offline provider.
 */
export interface AiTask<I, O> {
  operation: AiJobKind;
  /** Schema name sent with the json_schema response format. */
  name: string;
  promptVersion: string;
  outputSchema: z.ZodType<O>;
  maxOutputTokens(input: I): number;
  messages(input: I): { system: string; user: string };
  offline(input: I): O;
  /**
   * Characters of author text `offline` analyses for this input (sentences, noun phrases): a long analysis runs on the
   * template pool's worker threads, off the event loop. Absent for templates that only fill in text.
   */
  offlineTextChars?(input: I): number;
  /**
   * The list in the output whose items can be shown while the answer is still being written (`key`: a top-level
   * array, e.g. `blocks`), each checked against `item` before it is shown. The whole output is still validated
   * before anything is saved.
   */
  stream?: { key: string; item: z.ZodType };
}

/** Receives each completed item of a streamed answer; `index` starts again at 0 when the gateway retries. */
export type StreamItemListener = (index: number, item: unknown) => void;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a provider returns for one call (output not yet validated). */
export interface ProviderResult {
  output: unknown;
  usage: TokenUsage;
  finishReason: 'stop' | 'length';
  model: string;
}

/** A model provider behind the one LlmClient interface. */
export interface LlmProvider {
  readonly name: 'openai' | 'offline';
  readonly offline: boolean;
  /** Ordered fallback chain of models. */
  readonly models: string[];
  /** With `onItem` (and a task that declares `stream`), the answer is streamed and its items reported as they complete. */
  call<I, O>(task: AiTask<I, O>, input: I, model: string, signal: AbortSignal, onItem?: StreamItemListener): Promise<ProviderResult>;
}

/** A failed provider call, classified for the retry policy. */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'retryable' | 'rejected' | 'invalid_output',
    message: string,
    /** `cutOff`: a streamed answer that stopped before its end (the author is told nothing was saved). */
    readonly options: { status?: number; retryAfterMs?: number; usage?: TokenUsage; cutOff?: boolean } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Rough token estimate for quotas and quotes (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 8;
}
