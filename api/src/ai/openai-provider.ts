import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { z } from 'zod';
import { ProviderError, type AiTask, type LlmProvider, type ProviderResult, type TokenUsage } from './llm.js';
import { streamItemReader } from './stream-items.js';

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

type ChatRequest = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'stream'>;
interface Answer {
  content: string | null;
  usage: TokenUsage;
  finishReason: string | null;
  model: string;
}

/** The SDK's failures as the gateway's retry policy sees them (an abort stays an abort). */
function classified(error: unknown): unknown {
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionError) return new ProviderError('retryable', 'The model server did not answer in time.');
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new ProviderError(retryable ? 'retryable' : 'rejected', `The model server answered ${status}.`, {
      status, retryAfterMs: retryAfterMs(error.headers),
    });
  }
  return error;
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
  /** One answer in one piece. */
  async function whole(request: ChatRequest, signal: AbortSignal): Promise<Answer> {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await client.chat.completions.create(request, { signal });
    } catch (error) {
      throw classified(error);
    }
    // A proxy's HTML page or a wrong base URL can answer 200 with something that is not a completion at all.
    if (typeof completion !== 'object' || completion === null || !Array.isArray((completion as { choices?: unknown }).choices)) {
      throw new ProviderError('retryable', 'The model server answered with something that is not a chat completion.');
    }
    const choice = completion.choices[0];
    return {
      content: choice?.message?.content ?? null, finishReason: choice?.finish_reason ?? null, model: completion.model,
      usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
    };
  }

  /** One answer as it is written (usage included), its content fed to `reader` chunk by chunk. */
  async function streamed(request: ChatRequest, signal: AbortSignal, reader: { write(text: string): void }): Promise<Answer> {
    const answer: Answer = { content: '', usage: { inputTokens: 0, outputTokens: 0 }, finishReason: null, model: '' };
    let chunks = 0;
    try {
      const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }, { signal });
      for await (const chunk of stream) {
        chunks++;
        answer.model ||= chunk.model;
        if (chunk.usage) answer.usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) answer.finishReason = choice.finish_reason;
        const text = choice?.delta?.content;
        if (text) {
          answer.content += text;
          reader.write(text);
        }
      }
    } catch (error) {
      if (signal.aborted || error instanceof APIUserAbortError) throw error instanceof APIUserAbortError ? error : new APIUserAbortError();
      if (error instanceof APIError || error instanceof APIConnectionError) throw classified(error);
      throw new ProviderError('retryable', 'The model server stopped answering mid-way.', { cutOff: true });
    }
    // A proxy's HTML page (or anything else that is not a stream of chunks), or a stream cut before it finished.
    if (chunks === 0) throw new ProviderError('retryable', 'The model server answered with something that is not a chat completion.');
    if (answer.finishReason === null) throw new ProviderError('retryable', 'The model server stopped answering mid-way.', { usage: answer.usage, cutOff: true });
    return answer;
  }

  return {
    name: 'openai',
    offline: false,
    models: options.models,
    async call(task, input, model, signal, onItem): Promise<ProviderResult> {
      const { system, user } = task.messages(input);
      const request = {
        model,
        messages: [{ role: 'system' as const, content: system }, { role: 'user' as const, content: user }],
        response_format: responseFormat(task as AiTask<unknown, unknown>),
        max_tokens: task.maxOutputTokens(input),
      };
      const answer = onItem && task.stream
        ? await streamed(request, signal, streamItemReader(task as AiTask<unknown, unknown>, onItem))
        : await whole(request, signal);
      const { usage, finishReason, content } = answer;
      const answeredBy = answer.model || model;
      if (finishReason === 'length') return { output: null, usage, finishReason: 'length', model: answeredBy };
      if (!content) throw new ProviderError('invalid_output', 'The model returned no content.', { usage });
      try {
        return { output: JSON.parse(content), usage, finishReason: 'stop', model: answeredBy };
      } catch {
        throw new ProviderError('invalid_output', 'The model returned malformed JSON.', { usage });
      }
    },
  };
}
