import { STATS_RANGES, type AdminStats, type StatsRange, type StatsSeries, type SystemInfo } from '../../../shared/schemas/admin.js';
import type { AiCache } from '../ai/ai-cache.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import type { CircuitBreaker } from '../ai/circuit-breaker.js';
import type { TemplatePool } from '../ai/template-pool.js';
import { APP_VERSION, type Config } from '../config.js';
import type { RequestMinute } from '../stores/admin-types.js';
import type { Store } from '../stores/types.js';
import { addHistograms, histogramQuantile, type RequestMetrics } from './admin-request-metrics.js';
import type { Clock } from './clock.js';

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The bucketed window of a range: it ends after the current bucket, whose start is a multiple of the step (UTC). */
export function statsWindow(range: StatsRange, nowMs: number) {
  const { durationS, stepS } = STATS_RANGES[range];
  const stepMs = stepS * 1000;
  const toMs = (Math.floor(nowMs / stepMs) + 1) * stepMs;
  const fromMs = toMs - durationS * 1000;
  return { fromMs, toMs, stepMs, stepS, buckets: durationS / stepS };
}

/** The overview: request metrics (stored minutes plus those still in memory) and the ledger, bucketed; system state. */
export function createAdminStatsService(deps: {
  store: Store;
  metrics: RequestMetrics;
  ai: { gateway: AiGateway; breaker: CircuitBreaker; cache: AiCache; templates: TemplatePool };
  config: Config;
  clock: Clock;
  /** True when Redis backs the rate limits and the AI cache. */
  redis: boolean;
}) {
  const { store, metrics, ai, config } = deps;

  async function requestMinutes(from: string, to: string): Promise<RequestMinute[]> {
    const stored = await store.requestMetrics.list(from, to);
    return [...stored, ...metrics.unflushed().filter((m) => m.minute >= from && m.minute < to)];
  }

  async function system(): Promise<SystemInfo> {
    const health = await store.health();
    const breaker = ai.breaker.snapshot();
    const cache = ai.cache.stats();
    const threads = ai.templates.stats();
    const uptimeS = process.uptime();
    return {
      version: APP_VERSION,
      node: process.version,
      startedAt: new Date(deps.clock.now().getTime() - uptimeS * 1000).toISOString(),
      uptimeS: Math.round(uptimeS),
      store: { kind: store.kind, ok: health.ok, details: health.details },
      ai: {
        provider: ai.gateway.provider.name,
        offline: ai.gateway.provider.offline,
        timeoutMs: config.ai.timeoutMs,
        maxRetries: config.ai.maxRetries,
        models: ai.gateway.provider.models.map((model) => ({
          model, state: breaker[model]?.state ?? 'closed', failures: breaker[model]?.failures ?? 0, openUntil: breaker[model]?.openUntil ?? null,
        })),
        templateThreads: ai.gateway.provider.offline
          ? { max: config.ai.templateThreads, running: threads.threads, busy: threads.busy, queued: threads.queued }
          : null,
      },
      cache: {
        entries: cache.entries, bytes: cache.bytes, maxBytes: config.ai.cacheMaxBytes, ttlS: config.ai.cacheTtlS, hits: cache.hits,
        misses: cache.misses, hitRatio: ratio(cache.hits, cache.hits + cache.misses), redis: deps.redis,
      },
      rateLimits: {
        defaultPerMin: config.rateLimit.defaultPerMin, aiPerMin: config.rateLimit.aiPerMin, authPerMin: config.rateLimit.authPerMin,
        shared: deps.redis,
      },
      quotas: { dailyTokens: config.quota.dailyTokens, monthlyTokens: config.quota.monthlyTokens },
      jobs: { concurrency: config.jobs.concurrency, timeoutS: config.jobs.timeoutS },
    };
  }

  return {
    async stats(range: StatsRange): Promise<AdminStats> {
      const window = statsWindow(range, deps.clock.now().getTime());
      const from = new Date(window.fromMs).toISOString();
      const to = new Date(window.toMs).toISOString();
      const n = window.buckets;
      const zeros = () => new Array<number>(n).fill(0);
      const s = {
        requests: zeros(), serverErrors: zeros(), clientErrors: zeros(), quota429: zeros(), rateLimited429: zeros(),
        aiCalls: zeros(), cachedCalls: zeros(), inputTokens: zeros(), outputTokens: zeros(), costMicros: zeros(),
      };
      const histograms: number[][] = Array.from({ length: n }, () => []);
      const [minutes, ledger, systemInfo] = await Promise.all([
        requestMinutes(from, to), store.adminLedger.series({ from, to, stepMs: window.stepMs }), system(),
      ]);
      for (const m of minutes) {
        const b = Math.floor((Date.parse(m.minute) - window.fromMs) / window.stepMs);
        s.requests[b]! += m.requests;
        s.serverErrors[b]! += m.serverErrors;
        s.clientErrors[b]! += m.clientErrors;
        s.quota429[b]! += m.quota429;
        s.rateLimited429[b]! += m.rateLimited429;
        addHistograms(histograms[b]!, m.latencyBuckets);
      }
      for (const row of ledger) {
        s.aiCalls[row.bucket]! += row.calls;
        s.cachedCalls[row.bucket]! += row.cachedCalls;
        s.inputTokens[row.bucket]! += row.inputTokens;
        s.outputTokens[row.bucket]! += row.outputTokens;
        s.costMicros[row.bucket]! += row.costMicros;
      }
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      const series: StatsSeries = {
        t: Array.from({ length: n }, (_, i) => (window.fromMs + i * window.stepMs) / 1000),
        requests: s.requests, serverErrors: s.serverErrors, clientErrors: s.clientErrors, quota429: s.quota429,
        rateLimited429: s.rateLimited429,
        p95LatencyMs: histograms.map((h) => histogramQuantile(h, 0.95)),
        aiCalls: s.aiCalls, cachedCalls: s.cachedCalls,
        tokens: s.inputTokens.map((input, i) => input + s.outputTokens[i]!),
        costUsd: s.costMicros.map((micros) => micros / 1e6),
        cacheHitRatio: s.aiCalls.map((calls, i) => ratio(s.cachedCalls[i]!, calls)),
      };
      const aiCalls = sum(s.aiCalls);
      const cachedCalls = sum(s.cachedCalls);
      return {
        range, from, to, stepS: window.stepS, series, system: systemInfo,
        totals: {
          requests: sum(s.requests), serverErrors: sum(s.serverErrors), clientErrors: sum(s.clientErrors),
          quota429: sum(s.quota429), rateLimited429: sum(s.rateLimited429),
          p95LatencyMs: histogramQuantile(histograms.reduce((all, h) => addHistograms(all, h), []), 0.95),
          aiCalls, cachedCalls, inputTokens: sum(s.inputTokens), outputTokens: sum(s.outputTokens),
          tokens: sum(s.inputTokens) + sum(s.outputTokens), costUsd: sum(s.costMicros) / 1e6, cacheHitRatio: ratio(cachedCalls, aiCalls),
        },
      };
    },
  };
}
