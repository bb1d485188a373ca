import { TEMPLATE_PROVIDER } from '../../../shared/template-mode.js';
import type { AiTask, LlmProvider } from './llm.js';
import { reportItems } from './stream-items.js';
import type { TemplatePool } from './template-pool.js';

// Part of every cache key: bumped when template mode's output changes, so no stale template output is served.
export const OFFLINE_MODEL = 'offline-templates-v2';
/** Whether a model name is one of template mode's, this version's or an earlier one's (as the ledger keeps them). */
export const isTemplateModel = (model: string) => model.startsWith('offline-templates-');

/**
 * The deterministic provider: no network, no model. It composes questions from templates and lenses, a TOC from
 * the summary and answers, and drafts from the author's own answers — and every record says it is offline. Long
 * inputs are answered on the template pool's worker threads, short ones on the event loop.
 */
export function createOfflineProvider(templates: TemplatePool): LlmProvider {
  return {
    name: TEMPLATE_PROVIDER,
    offline: true,
    models: [OFFLINE_MODEL],
    async call(task, input, _model, signal, onItem) {
      const output = await templates.answer(task, input, signal);
      // Template mode shows its items through the same path as a streamed model answer.
      if (onItem && task.stream) reportItems(task as AiTask<unknown, unknown>, output, onItem);
      return { output, usage: { inputTokens: 0, outputTokens: 0 }, finishReason: 'stop', model: OFFLINE_MODEL };
    },
  };
}
