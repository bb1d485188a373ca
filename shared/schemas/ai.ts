import { z } from 'zod';

/** What a job kind works on: the whole book, one chapter, one question of a chapter, or one kick-off interview question. */
export type JobTarget = 'book' | 'chapter' | 'question' | 'interview question';

/**
 * Every AI operation (job kind) and the record it works on. The API's operation table
 * (api/src/services/ai-operations) adds how each is planned and run; a new operation is a row in both.
 */
export const JOB_TARGETS = {
  'interview.generate': 'book',
  'toc.generate': 'book',
  'questions.generate': 'chapter',
  'question.regenerate': 'question',
  'draft.generate': 'chapter',
  'question.followup': 'question',
  /** The kick-off interview's follow-up: one per interview question, like a chapter question's. */
  'interview.followup': 'interview question',
  'continuity.extract': 'chapter',
  'passage.rework': 'book',
  /** A new version of a draft made from another: revised by the author's instruction, or one block reworked. */
  'draft.revise': 'chapter',
  'draft.rework': 'chapter',
} as const satisfies Record<string, JobTarget>;

/** The AI job kinds; they double as ledger operation and quote operation. */
export type AiJobKind = keyof typeof JOB_TARGETS;
export const AI_JOB_KINDS = Object.keys(JOB_TARGETS) as [AiJobKind, ...AiJobKind[]];
export const AiJobKindSchema = z.enum(AI_JOB_KINDS);

/** Every job kind: the AI operations and the book export, which calls no model (its own hourly limit per format). */
export const JOB_KINDS = [...AI_JOB_KINDS, 'export.generate'] as const;
export const JobKindSchema = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKindSchema>;

/** Whether a job is the one a panel follows for its kind: any of the book's for book-wide kinds, else its chapter's. */
export function isJobFor(job: { kind: JobKind; bookId: string; chapterId: string | null }, kind: JobKind, bookId: string, chapterId: string | null): boolean {
  if (job.kind !== kind || job.bookId !== bookId) return false;
  return kind === 'export.generate' || JOB_TARGETS[kind] === 'book' || job.chapterId === chapterId;
}

/** Who made an AI record; `offline` records come from the deterministic offline provider, never a model. */
export const GeneratedBySchema = z.object({
  provider: z.string(),
  model: z.string(),
  promptVersion: z.string(),
  offline: z.boolean(),
});
export type GeneratedBy = z.infer<typeof GeneratedBySchema>;

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const JobErrorSchema = z.object({ code: z.string(), message: z.string(), retryable: z.boolean() });

export const JobSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  status: z.enum(JOB_STATUSES),
  progress: z.number().int().min(0).max(100),
  stage: z.string().nullable(),
  bookId: z.string(),
  chapterId: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: JobErrorSchema.nullable(),
  /**
   * On a progress event: one item of the answer being written (a draft block, a question, a TOC chapter) at its
   * position; a later event with the same index replaces it (the model was asked again). Not saved until the job
   * succeeds; null elsewhere.
   */
  partial: z.object({ index: z.number().int().min(0), item: z.unknown() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A long AI generation: started with 202 `{ job }`, followed over SSE or by polling. */
export type Job = z.infer<typeof JobSchema>;

export const JobStartedSchema = z.object({ job: JobSchema });

export const GenerateBodySchema = z.object({
  /** Bypass the cache and ask the model again. */
  fresh: z.boolean().optional(),
});
