import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { createAiCache, type AiCache } from '../../ai/ai-cache.js';
import { createAiGateway, type AiGateway } from '../../ai/ai-gateway.js';
import { createCircuitBreaker, type CircuitBreaker } from '../../ai/circuit-breaker.js';
import type { LlmProvider } from '../../ai/llm.js';
import { createOfflineProvider } from '../../ai/offline-provider.js';
import { createOpenAiProvider } from '../../ai/openai-provider.js';
import { createTemplatePool, type TemplatePool } from '../../ai/template-pool.js';
import type { Clock } from '../../services/clock.js';
import { recordMeteredCall } from '../../services/metering-rules.js';
import type { LedgerRecord } from '../../stores/engine-types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** `templates`: template mode's worker threads (idle, and never started, with a model). */
    ai: { gateway: AiGateway; breaker: CircuitBreaker; cache: AiCache; templates: TemplatePool };
  }
}

/** The LLM client: `openai` (any OpenAI-compatible server) or the labelled `offline` provider. */
export default fp<{ config: Config; clock: Clock; provider?: LlmProvider }>(
  async (app, { config, clock, provider }) => {
    const templates = createTemplatePool({
      threads: config.ai.templateThreads, onError: (error) => app.log.error({ err: error }, 'a template-mode worker thread failed'),
    });
    // Running jobs drain (or are aborted) in a preClose hook, before onClose hooks run: no job needs a thread then.
    app.addHook('onClose', async () => templates.close());
    const llm =
      provider ??
      (config.ai.provider === 'openai'
        ? createOpenAiProvider({ apiKey: config.ai.apiKey, baseUrl: config.ai.baseUrl, models: config.ai.models, timeoutMs: config.ai.timeoutMs })
        : createOfflineProvider(templates));
    const breaker = createCircuitBreaker();
    const cache = createAiCache({
      store: app.store.aiCache, maxBytes: config.ai.cacheMaxBytes, ttlMs: config.ai.cacheTtlS * 1000, redis: app.redis, log: app.log,
    });
    // Each metered call also releases what it used of its job's reservation (the rule is the metering service's).
    const ledger = { ...app.store.ledger, record: (entry: LedgerRecord) => recordMeteredCall(app.store, entry) };
    // Ledger rows are dated by the app's clock, the one quota windows and retention are measured by.
    const gateway = createAiGateway({
      provider: llm, cache, breaker, ledger, prices: config.ai.prices, maxRetries: config.ai.maxRetries, now: () => clock.now(),
    });
    app.decorate('ai', { gateway, breaker, cache, templates });
  },
  { name: 'ai', dependencies: ['store', 'redis'] },
);
