import { z } from 'zod';
import { AiJobKindSchema } from './ai.js';
import { PageQuerySchema, TimestampSchema } from './common.js';
import { LedgerEntrySchema } from './usage.js';

/** Limits of the admin reports. */
export const ADMIN_LIMITS = {
  /** Rows in one CSV export (newest first); the response says when more matched. */
  usageCsvMaxRows: 100_000,
  /** Groups in one grouped usage report (largest first; days oldest first). */
  usageGroupsMax: 1_000,
  modelMax: 200,
  outcomeMax: 50,
} as const;

/** Overview ranges, each with its chart step (bucket width). */
export const STATS_RANGES = {
  '24h': { durationS: 86_400, stepS: 1_800 },
  '7d': { durationS: 7 * 86_400, stepS: 3 * 3_600 },
  '30d': { durationS: 30 * 86_400, stepS: 12 * 3_600 },
} as const;
export const StatsRangeSchema = z.enum(['24h', '7d', '30d']);
export type StatsRange = z.infer<typeof StatsRangeSchema>;

export const USAGE_GROUP_BY = ['day', 'user', 'operation', 'model'] as const;
export const UsageGroupBySchema = z.enum(USAGE_GROUP_BY);
export type UsageGroupBy = z.infer<typeof UsageGroupBySchema>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A UTC day (`2025-03-01`) or an ISO 8601 instant; a day given as `to` means through the end of that day. */
export const DateOrInstantSchema = z
  .string()
  .max(40)
  .refine((value) => (DATE_ONLY.test(value) || value.includes('T')) && !Number.isNaN(Date.parse(value)), {
    message: 'Use a day (YYYY-MM-DD) or an ISO 8601 instant',
  });

/** Ledger filters shared by the usage report and its CSV export. */
export const UsageFilterQuerySchema = z.object({
  from: DateOrInstantSchema.optional(),
  to: DateOrInstantSchema.optional(),
  userId: z.string().max(100).optional(),
  operation: AiJobKindSchema.optional(),
  model: z.string().max(ADMIN_LIMITS.modelMax).optional(),
  outcome: z.string().max(ADMIN_LIMITS.outcomeMax).optional(),
});
export type UsageFilterQuery = z.infer<typeof UsageFilterQuerySchema>;

export const AdminUsageQuerySchema = PageQuerySchema.extend(UsageFilterQuerySchema.shape).extend({
  groupBy: UsageGroupBySchema.optional(),
});

export const UsageTotalsSchema = z.object({
  calls: z.number().int(),
  cachedCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
});
/** Sums over a set of ledger rows (money in USD, from integer micro-dollars). */
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

export const UsageGroupSchema = UsageTotalsSchema.extend({
  /** The day (YYYY-MM-DD), user id, operation or model. */
  key: z.string(),
  /** A readable name where the key is an id (the user's email), else null. */
  label: z.string().nullable(),
});

export const AdminLedgerEntrySchema = LedgerEntrySchema.extend({
  userId: z.string(),
  userEmail: z.string().nullable(),
});
/** One metered AI call, with whose it was. */
export type AdminLedgerEntry = z.infer<typeof AdminLedgerEntrySchema>;

export const AdminUsageSchema = z.object({
  items: z.array(AdminLedgerEntrySchema),
  nextCursor: z.string().nullable(),
  /** The window applied: from inclusive, to exclusive (null = open). */
  from: TimestampSchema.nullable(),
  to: TimestampSchema.nullable(),
  totals: UsageTotalsSchema,
  groupBy: UsageGroupBySchema.nullable(),
  groups: z.array(UsageGroupSchema),
  groupsTruncated: z.boolean(),
  /** The ledger holds every call made since this instant (the start of a UTC day); older ones may have been deleted. */
  keptSince: TimestampSchema,
  /** When the window starts before `keptSince` (or has no start): in plain words, that older usage is not counted. */
  retentionNote: z.string().nullable(),
});
/** The ledger filtered, a page of its rows, its totals and (optionally) its groups. */
export type AdminUsage = z.infer<typeof AdminUsageSchema>;

export const AdminStatsQuerySchema = z.object({ range: StatsRangeSchema.default('24h') });

const nullableNumbers = z.array(z.number().nullable());
export const StatsSeriesSchema = z.object({
  /** Bucket starts, Unix seconds (UTC). */
  t: z.array(z.number().int()),
  requests: z.array(z.number().int()),
  /** 5xx answers. */
  serverErrors: z.array(z.number().int()),
  /** 4xx answers other than 429. */
  clientErrors: z.array(z.number().int()),
  quota429: z.array(z.number().int()),
  rateLimited429: z.array(z.number().int()),
  /** Null where the bucket had no request. */
  p95LatencyMs: nullableNumbers,
  aiCalls: z.array(z.number().int()),
  cachedCalls: z.array(z.number().int()),
  tokens: z.array(z.number().int()),
  costUsd: z.array(z.number()),
  /** Cached calls / AI calls; null where the bucket had no AI call. */
  cacheHitRatio: nullableNumbers,
});
export type StatsSeries = z.infer<typeof StatsSeriesSchema>;

export const StatsTotalsSchema = z.object({
  requests: z.number().int(),
  serverErrors: z.number().int(),
  clientErrors: z.number().int(),
  quota429: z.number().int(),
  rateLimited429: z.number().int(),
  p95LatencyMs: z.number().nullable(),
  aiCalls: z.number().int(),
  cachedCalls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  tokens: z.number().int(),
  costUsd: z.number(),
  cacheHitRatio: z.number().nullable(),
});

export const CIRCUIT_STATES = ['closed', 'open'] as const;

export const SystemInfoSchema = z.object({
  version: z.string(),
  node: z.string(),
  startedAt: TimestampSchema,
  uptimeS: z.number().int(),
  store: z.object({
    kind: z.enum(['sqlite', 'mongodb']),
    ok: z.boolean(),
    /** Schema version, journal mode (SQLite) or connection-pool figures (MongoDB). */
    details: z.record(z.string(), z.unknown()),
  }),
  ai: z.object({
    provider: z.string(),
    offline: z.boolean(),
    timeoutMs: z.number().int(),
    maxRetries: z.number().int(),
    /** The fallback chain in order, each with its circuit-breaker state. */
    models: z.array(z.object({
      model: z.string(),
      state: z.enum(CIRCUIT_STATES),
      failures: z.number().int(),
      openUntil: TimestampSchema.nullable(),
    })),
    /**
     * Template mode's worker threads in this process (long language analyses run there): at most `max` (0: answers
     * run on the event loop), `running` now, `busy` of those, `queued` answers waiting. Null with a model provider.
     */
    templateThreads: z.object({ max: z.number().int(), running: z.number().int(), busy: z.number().int(), queued: z.number().int() }).nullable(),
  }),
  cache: z.object({
    entries: z.number().int(),
    bytes: z.number().int(),
    maxBytes: z.number().int(),
    ttlS: z.number().int(),
    hits: z.number().int(),
    misses: z.number().int(),
    /** Since this process started; null before any lookup. */
    hitRatio: z.number().nullable(),
    redis: z.boolean(),
  }),
  rateLimits: z.object({
    defaultPerMin: z.number().int(),
    aiPerMin: z.number().int(),
    authPerMin: z.number().int(),
    /** True when the limits are counted in Redis, shared by every instance. */
    shared: z.boolean(),
  }),
  quotas: z.object({ dailyTokens: z.number().int(), monthlyTokens: z.number().int() }),
  jobs: z.object({ concurrency: z.number().int(), timeoutS: z.number().int() }),
});
/** What the server runs on and with: store, AI chain, cache, limits. */
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const AdminStatsSchema = z.object({
  range: StatsRangeSchema,
  from: TimestampSchema,
  to: TimestampSchema,
  stepS: z.number().int(),
  series: StatsSeriesSchema,
  totals: StatsTotalsSchema,
  system: SystemInfoSchema,
});
/** The overview: time series and totals for a range, plus the system's state. */
export type AdminStats = z.infer<typeof AdminStatsSchema>;

/** Columns of the usage CSV export, in order. */
export const USAGE_CSV_COLUMNS = [
  'createdAt', 'id', 'userId', 'userEmail', 'bookId', 'jobId', 'operation', 'provider', 'model', 'inputTokens',
  'outputTokens', 'costUsd', 'cached', 'outcome', 'latencyMs',
] as const;
