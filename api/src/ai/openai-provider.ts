import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { ProviderError, type AiTask, type LlmProvider, type ProviderResult } from './llm.js';

const formats = new WeakMap<z.ZodType, ReturnType<typeof zodResponseFormat>>();

function responseFormat(task: AiTask<unknown, unknown>) {
  let format = formats.get(task.outputSchema);
  if (!format) {
    format = zodResponseFormat(task.outputSchema as never, task.name);
    formats.set(task.outputSchema, format);
  }
  return format;
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Any OpenAI-compatible chat-completions server through the official SDK, with json_schema structured outputs.
 * The SDK's own retries are off: the gateway retries, so that retry-after and the fallback chain are honoured.
 */
export function createOpenAiProvider(options: { apiKey: string | null; baseUrl: string | null; models: string[]; timeoutMs: number }): LlmProvider {
  const client = new OpenAI({
    apiKey: options.apiKey ?? 'not-needed',
    baseURL: options.baseUrl ?? undefined,
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  return {
    name: 'openai',
    offline: false,
    models: options.models,
    async call(task, input, model, signal): Promise<ProviderResult> {
      const { system, user } = task.messages(input);
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model,
            messages: [{ role: 'system', content: system }, { role: 'user', content: user }],
            response_format: responseFormat(task as AiTask<unknown, unknown>),
            max_tokens: task.maxOutputTokens(input),
          },
          { signal },
        );
      } catch (error) {
        if (error instanceof APIUserAbortError) throw error;
        if (error instanceof APIConnectionError) throw new ProviderError('retryable', 'The model server did not answer in time.');
        if (error instanceof APIError) {
          const status = error.status ?? 0;
          const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
          throw new ProviderError(retryable ? 'retryable' : 'rejected', `The model server answered ${status}.`, {
            status, retryAfterMs: retryAfterMs(error.headers),
          });
        }
        throw error;
      }
      // A proxy's HTML page or a wrong base URL can answer 200 with something that is not a completion at all.
      if (typeof completion !== 'object' || completion === null || !Array.isArray((completion as { choices?: unknown }).choices)) {
        throw new ProviderError('retryable', 'The model server answered with something that is not a chat completion.');
      }
      const usage = { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 };
      const choice = completion.choices[0];
      if (choice?.finish_reason === 'length') return { output: null, usage, finishReason: 'length', model: completion.model || model };
      const content = choice?.message?.content;
      if (!content) throw new ProviderError('invalid_output', 'The model returned no content.', { usage });
      try {
        return { output: JSON.parse(content), usage, finishReason: 'stop', model: completion.model || model };
      } catch {
        throw new ProviderError('invalid_output', 'The model returned malformed JSON.', { usage });
      }
    },
  };
}
