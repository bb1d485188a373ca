import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { ReadinessSchema } from '../readiness.js';
import { BooleanQuerySchema, IdParamSchema, PageQuerySchema, TimestampSchema, VersionSchema, requiredText } from './common.js';

export const BookSchema = z.object({
  id: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  description: z.string().nullable(),
  genre: z.string().nullable(),
  audience: z.string().nullable(),
  language: z.string().nullable(),
  targetWords: z.number().int().nullable(),
  /** The author's instructions for every draft and revision of this book (null: none). */
  standingInstructions: z.string().nullable(),
  /** A passage in the author's own voice: the drafts' style reference, never their material. */
  voiceSample: z.string().nullable(),
  documentId: z.string().nullable(),
  tabId: z.string().nullable(),
  version: z.number().int(),
  tocVersion: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  deletedAt: TimestampSchema.nullable(),
});
/** A book as the API returns it. */
export type Book = z.infer<typeof BookSchema>;

const optionalText = (max: number) => z.string().max(max).nullable().optional();
const documentIdSchema = z.string().min(1).max(LIMITS.documentIdMax).regex(/^[A-Za-z0-9_-]+$/, 'Not a Google Docs document id');

const bookFields = {
  subtitle: optionalText(LIMITS.bookSubtitleMax),
  description: optionalText(LIMITS.bookDescriptionMax),
  genre: optionalText(LIMITS.bookGenreMax),
  audience: optionalText(LIMITS.bookAudienceMax),
  language: optionalText(LIMITS.bookLanguageMax),
  targetWords: z.number().int().min(LIMITS.bookTargetWordsMin).max(LIMITS.bookTargetWordsMax).nullable().optional(),
  standingInstructions: optionalText(LIMITS.standingInstructionsMax),
  voiceSample: optionalText(LIMITS.voiceSampleMaxChars),
};

export const CreateBookBodySchema = z.object({
  title: requiredText(LIMITS.bookTitleMax),
  ...bookFields,
  documentId: documentIdSchema.nullable().optional(),
});
export type CreateBookBody = z.infer<typeof CreateBookBodySchema>;

export const UpdateBookBodySchema = z.object({
  version: VersionSchema.optional(),
  title: requiredText(LIMITS.bookTitleMax).optional(),
  ...bookFields,
});
export type UpdateBookBody = z.infer<typeof UpdateBookBodySchema>;

export const ListBooksQuerySchema = PageQuerySchema.extend({
  documentId: documentIdSchema.optional(),
  trash: BooleanQuerySchema.optional(),
});

export const LinkDocBodySchema = z.object({
  documentId: documentIdSchema,
  tabId: z.string().max(LIMITS.documentIdMax).nullable().optional(),
  /** The book's version the client saw: when given, a book changed since (say, linked elsewhere) answers 409. */
  version: z.number().int().positive().optional(),
});

export const BookParamsSchema = z.object({ bookId: IdParamSchema });

export const SummarySchema = z.object({
  bookId: z.string(),
  summary: z.string(),
  version: z.number().int(),
  updatedAt: TimestampSchema,
  history: z.array(
    z.object({ version: z.number().int(), summary: z.string(), words: z.number().int(), createdAt: TimestampSchema }),
  ),
});
/** The book's summary with its last distinct versions (newest first). */
export type Summary = z.infer<typeof SummarySchema>;

export const PutSummaryBodySchema = z.object({
  summary: z.string().max(LIMITS.summaryMaxChars),
  version: VersionSchema.optional(),
});

export const BookReadinessSchema = ReadinessSchema.extend({ bookId: z.string() });
