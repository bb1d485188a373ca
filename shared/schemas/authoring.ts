import { z } from 'zod';
import { BlockSchema } from '../blocks.js';
import { LIMITS } from '../limits.js';
import { GeneratedBySchema, GenerateBodySchema, JobSchema } from './ai.js';
import { ContinuityFlagSchema } from './continuity.js';
import { IdParamSchema, requiredText, TimestampSchema, VersionSchema } from './common.js';

export const LENSES = ['reader', 'sceptic', 'practitioner', 'editor'] as const;
export const LensSchema = z.enum(LENSES);
export const ANSWER_STATUSES = ['draft', 'final'] as const;
export const QUESTION_STATUSES = ['unanswered', 'draft', 'final'] as const;

export const AnswerSchema = z.object({
  id: z.string(),
  questionId: z.string(),
  text: z.string(),
  status: z.enum(ANSWER_STATUSES),
  words: z.number().int(),
  version: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** An author's answer to a question (interview or chapter). */
export type Answer = z.infer<typeof AnswerSchema>;

export const QuestionSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  chapterId: z.string().nullable(),
  position: z.number().int(),
  text: z.string(),
  helpText: z.string().nullable(),
  lens: LensSchema.nullable(),
  suggestedWords: z.number().int().nullable(),
  status: z.enum(QUESTION_STATUSES),
  regenerations: z.number().int(),
  /** The question this one follows up (grounded in its final answer); null for a question of its own. */
  parentQuestionId: z.string().nullable(),
  /** The id of this question's follow-up, when it has one. */
  followUpId: z.string().nullable(),
  answer: AnswerSchema.nullable(),
  generatedBy: GeneratedBySchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** A generated question with the author's answer, when there is one. */
export type Question = z.infer<typeof QuestionSchema>;

export const InterviewSchema = z.object({
  bookId: z.string(),
  questions: z.array(QuestionSchema),
  answered: z.number().int(),
});
export type Interview = z.infer<typeof InterviewSchema>;

const answerText = z.string().max(LIMITS.answerMaxChars);

export const PutInterviewAnswersBodySchema = z.object({
  answers: z.array(z.object({ questionId: z.string().max(100), text: answerText, version: VersionSchema.optional() })).min(1).max(LIMITS.batchAnswersMax),
});

export const PutAnswerBodySchema = z.object({
  text: answerText,
  status: z.enum(ANSWER_STATUSES),
  version: VersionSchema.optional(),
});

export const BatchAnswersBodySchema = z.object({
  answers: z
    .array(z.object({ questionId: z.string().max(100), text: answerText, status: z.enum(ANSWER_STATUSES), version: VersionSchema.optional() }))
    .min(1)
    .max(LIMITS.batchAnswersMax),
});

export const BatchAnswersResultSchema = z.object({
  results: z.array(
    z.object({
      questionId: z.string(),
      ok: z.boolean(),
      answer: AnswerSchema.nullable(),
      error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
    }),
  ),
});

export const ListQuestionsQuerySchema = z.object({
  status: z.enum(QUESTION_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageLimitMax).default(LIMITS.pageLimitDefault),
});

export const QuestionPageSchema = z.object({
  items: z.array(QuestionSchema),
  nextCursor: z.string().nullable(),
  page: z.number().int(),
  total: z.number().int(),
});

export const GenerateQuestionsBodySchema = GenerateBodySchema.extend({
  count: z.number().int().min(LIMITS.questionsMin).max(LIMITS.questionsMax).optional(),
});

export const QuestionParamsSchema = z.object({ bookId: IdParamSchema, chapterId: IdParamSchema, questionId: IdParamSchema });
export const InterviewQuestionParamsSchema = z.object({ bookId: IdParamSchema, questionId: IdParamSchema });

export const ChapterProgressSchema = z.object({
  chapterId: z.string(),
  questions: z.number().int(),
  answered: z.number().int(),
  final: z.number().int(),
  answerWords: z.number().int(),
  /** 0–1: how much author material supports the chapter (answers weighed against their suggested length). */
  coverage: z.number(),
  drafts: z.number().int(),
  acceptedDraftId: z.string().nullable(),
});
export type ChapterProgress = z.infer<typeof ChapterProgressSchema>;

export const BookProgressSchema = z.object({ bookId: z.string(), chapters: z.array(ChapterProgressSchema) });

export const DRAFT_STYLES = ['professional', 'conversational', 'academic', 'creative', 'technical'] as const;

export const GenerateDraftBodySchema = GenerateBodySchema.extend({
  style: z.enum(DRAFT_STYLES),
  targetWords: z.number().int().min(LIMITS.draftWordsMin).max(LIMITS.draftWordsMax),
});

/** What the author can ask of one block of a draft: write it afresh, longer, shorter, or in other words. */
export const REWORK_ACTIONS = ['regenerate', 'expand', 'shorten', 'rephrase'] as const;
export type ReworkAction = (typeof REWORK_ACTIONS)[number];
/** How a draft version was made from the one before: a revision by instruction, a reworked block, a hand edit. */
export const DRAFT_CHANGE_KINDS = ['revise', ...REWORK_ACTIONS, 'edit'] as const;

/** A block of a draft by position: `B1` is the first (the refs prompts use too; see shared/draft-versions.ts). */
export const BlockIdSchema = z.string().regex(/^B[1-9]\d{0,2}$/u, 'Must name a block of the draft, e.g. B1');

export const DraftChangeSchema = z.object({
  kind: z.enum(DRAFT_CHANGE_KINDS),
  /** The author's instruction (revisions only). */
  instruction: z.string().nullable(),
  /** The blocks of the earlier version that were asked to change (empty: the whole draft). */
  blockIds: z.array(z.string()),
});
export type DraftChange = z.infer<typeof DraftChangeSchema>;

export const ReviseDraftBodySchema = GenerateBodySchema.extend({
  instruction: requiredText(LIMITS.revisionInstructionMax),
  /** Only these blocks change; every other block stays exactly as it is. */
  blockIds: z.array(BlockIdSchema).min(1).max(LIMITS.revisionBlocksMax).optional(),
});

export const ReworkBlockBodySchema = GenerateBodySchema.extend({ blockId: BlockIdSchema, action: z.enum(REWORK_ACTIONS) });

/** The author's own text for one block: `text` for a heading, paragraph or quote, `items` for a list. */
export const EditBlockBodySchema = z.object({
  blockId: BlockIdSchema,
  text: requiredText(LIMITS.blockTextMax).optional(),
  items: z.array(requiredText(LIMITS.blockTextMax)).min(1).max(LIMITS.listItemsMax).optional(),
});

export const DraftSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  chapterId: z.string(),
  number: z.number().int(),
  style: z.enum(DRAFT_STYLES),
  targetWords: z.number().int(),
  words: z.number().int(),
  blocks: z.array(BlockSchema),
  unsupportedBlocks: z.number().int(),
  accepted: z.boolean(),
  acceptedAt: TimestampSchema.nullable(),
  /** Blocks that contradict a locked continuity note (checked when the draft was written); empty when none. */
  continuityFlags: z.array(ContinuityFlagSchema),
  generatedBy: GeneratedBySchema,
  /** The version this one was made from (null: generated from the answers). */
  basedOnDraftId: z.string().nullable(),
  /** How it was made from that version (null: generated from the answers). */
  change: DraftChangeSchema.nullable(),
  createdAt: TimestampSchema,
});
/** One stored version of a chapter draft, as structured blocks with provenance. */
export type Draft = z.infer<typeof DraftSchema>;

/** An accepted draft, and the job that updates the book's continuity notes from it (null when none could start). */
export const AcceptedDraftSchema = DraftSchema.extend({
  continuityJob: JobSchema.nullable(),
  /** Why no continuity job started (say, the quota is used up), in author words; null when one started. */
  continuityNote: z.string().nullable(),
});

export const DraftParamsSchema = z.object({ bookId: IdParamSchema, chapterId: IdParamSchema, draftId: IdParamSchema });

export const ProposalChapterSchema = z.object({
  /** Existing chapter this entry keeps (null: a new chapter). */
  id: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  children: z.array(z.object({ id: z.string().nullable(), title: z.string(), description: z.string().nullable() })),
});

export const TocProposalSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  chapters: z.array(ProposalChapterSchema),
  basedOnTocVersion: z.number().int(),
  status: z.enum(['pending', 'applied']),
  generatedBy: GeneratedBySchema,
  createdAt: TimestampSchema,
});
/** A proposed table of contents; nothing changes until the author applies it. */
export type TocProposal = z.infer<typeof TocProposalSchema>;

export const ProposalParamsSchema = z.object({ bookId: IdParamSchema, proposalId: IdParamSchema });

export const ApplyProposalBodySchema = z.object({ version: VersionSchema.optional() }).nullish();
