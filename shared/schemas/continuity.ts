import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { GeneratedBySchema } from './ai.js';
import { IdParamSchema, TimestampSchema, VersionSchema, requiredText } from './common.js';

/** What a continuity note records: people, places, terms and their definitions, dates, numbers, promises to the reader. */
export const CONTINUITY_KINDS = ['person', 'place', 'term', 'date', 'number', 'promise'] as const;
export const ContinuityKindSchema = z.enum(CONTINUITY_KINDS);
export type ContinuityKind = z.infer<typeof ContinuityKindSchema>;

/** Where a note comes from: the chapter and accepted draft that established it, and the answers behind it. */
export const ContinuitySourceSchema = z.object({
  chapterId: z.string().nullable(),
  draftId: z.string().nullable(),
  answers: z.array(z.object({ questionId: z.string(), answerVersion: z.number().int() })),
});

export const ContinuityNoteSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  kind: ContinuityKindSchema,
  /** The name, term, date or promise the note is about. */
  subject: z.string(),
  /** What the book established about it. */
  detail: z.string(),
  source: ContinuitySourceSchema,
  /** A locked note is a rule: a new draft that contradicts it is flagged. */
  locked: z.boolean(),
  /** True once the author edited the note (a later extraction never overwrites it). */
  edited: z.boolean(),
  generatedBy: GeneratedBySchema.nullable(),
  version: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** One fact of a book's continuity notes, kept automatically from accepted drafts and edited by the author. */
export type ContinuityNote = z.infer<typeof ContinuityNoteSchema>;

export const ContinuityNotesSchema = z.object({ items: z.array(ContinuityNoteSchema), nextCursor: z.string().nullable() });

/** A note the author deleted, kept as it was so that it can be restored. */
export const DeletedContinuityNoteSchema = z.object({ note: ContinuityNoteSchema, deletedAt: TimestampSchema });
export type DeletedContinuityNote = z.infer<typeof DeletedContinuityNoteSchema>;
export const DeletedContinuityNotesSchema = z.object({ items: z.array(DeletedContinuityNoteSchema), nextCursor: z.string().nullable() });

export const UpdateContinuityNoteBodySchema = z.object({
  version: VersionSchema.optional(),
  kind: ContinuityKindSchema.optional(),
  subject: requiredText(LIMITS.continuitySubjectMax).optional(),
  detail: requiredText(LIMITS.continuityDetailMax).optional(),
  locked: z.boolean().optional(),
});

export const CreateContinuityNoteBodySchema = z.object({
  kind: ContinuityKindSchema,
  subject: requiredText(LIMITS.continuitySubjectMax),
  detail: requiredText(LIMITS.continuityDetailMax),
  locked: z.boolean().optional(),
});

export const ContinuityNoteParamsSchema = z.object({ bookId: IdParamSchema, noteId: IdParamSchema });

/** A block of a draft that contradicts a locked continuity note: shown on the draft, never silently fixed. */
export const ContinuityFlagSchema = z.object({
  /** Index of the block in the draft's `blocks`. */
  blockIndex: z.number().int().min(0),
  noteId: z.string(),
  subject: z.string(),
  /** The locked note's text, as it was when the draft was checked. */
  detail: z.string(),
  /** Why the block contradicts it, in plain words. */
  explanation: z.string(),
});
export type ContinuityFlag = z.infer<typeof ContinuityFlagSchema>;
