import { z } from 'zod';
import { AiJobKindSchema } from './ai.js';
import { BooleanQuerySchema, IdParamSchema, TimestampSchema } from './common.js';

export const QuotaWindowSchema = z.object({
  /** Null when the window is unlimited. */
  limit: z.number().int().nullable(),
  used: z.number().int(),
  reserved: z.number().int(),
  remaining: z.number().int().nullable(),
  resetAt: TimestampSchema,
});

export const LedgerEntrySchema = z.object({
  id: z.string(),
  bookId: z.string().nullable(),
  jobId: z.string().nullable(),
  operation: AiJobKindSchema,
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  cached: z.boolean(),
  outcome: z.string(),
  latencyMs: z.number().int(),
  createdAt: TimestampSchema,
});
/** One AI call as metered: tokens, cost, cache hit, outcome. */

export const UsageSchema = z.object({
  daily: QuotaWindowSchema,
  monthly: QuotaWindowSchema,
  month: z.object({
    calls: z.number().int(),
    cachedCalls: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
  }),
  recent: z.array(LedgerEntrySchema),
});
export type Usage = z.infer<typeof UsageSchema>;

export const QuoteBodySchema = z.object({
  operation: AiJobKindSchema,
  bookId: z.string().max(100),
  chapterId: z.string().max(100).optional(),
  questionId: z.string().max(100).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const QuoteSchema = z.object({
  estimatedTokens: z.number().int(),
  estimatedCostUsd: z.number(),
  cached: z.boolean(),
  offline: z.boolean(),
});

export const JobParamsSchema = z.object({ jobId: IdParamSchema });
export const ListJobsQuerySchema = z.object({
  bookId: z.string().max(100).optional(),
  active: BooleanQuerySchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
