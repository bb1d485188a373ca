import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { TimestampSchema } from './common.js';

const DocumentIdSchema = z.string().min(1).max(LIMITS.documentIdMax).regex(/^[A-Za-z0-9_-]+$/, 'Not a Google Docs document id');

export const WriteDocBodySchema = z.object({
  documentId: DocumentIdSchema,
  chapterIds: z.array(z.string().max(100)).min(1).max(LIMITS.chaptersPerBook).optional(),
  /** Tab to write to (default: the book's tab, else the first). */
  tabId: z.string().max(LIMITS.documentIdMax).nullable().optional(),
  /** Replace chapters even where the author edited them in the doc. */
  overwrite: z.boolean().optional(),
});

export const ChapterWriteResultSchema = z.object({
  chapterId: z.string(),
  status: z.enum(['written', 'skipped']),
  code: z.string().nullable(),
  message: z.string().nullable(),
  /** For DOC_CHAPTER_EDITED: the chapter's current text in the doc, to show the difference. */
  currentText: z.string().nullable(),
});

export const WriteDocResultSchema = z.object({
  documentId: z.string(),
  tabId: z.string().nullable(),
  revisionId: z.string().nullable(),
  chapters: z.array(ChapterWriteResultSchema),
});
/** What a write to the doc did, chapter by chapter. */
export type WriteDocResult = z.infer<typeof WriteDocResultSchema>;

/** A heading outline read by a host itself (the add-on reads the doc through DocumentApp). */
export const HostOutlineSchema = z.object({
  paragraphs: z
    .array(z.object({ text: z.string().max(LIMITS.summaryMaxChars), style: z.string().max(40) }))
    .max(20_000),
});

export const ImportDocBodySchema = z.object({
  documentId: DocumentIdSchema,
  tabId: z.string().max(LIMITS.documentIdMax).nullable().optional(),
  outline: HostOutlineSchema.optional(),
});

export const RecordDocWritesBodySchema = z.object({
  documentId: DocumentIdSchema,
  tabId: z.string().max(LIMITS.documentIdMax).nullable().optional(),
  revisionId: z.string().max(LIMITS.documentIdMax).nullable().optional(),
  chapters: z
    .array(z.object({ chapterId: z.string().max(100), rangeName: z.string().max(300), textHash: z.string().max(40) }))
    .min(1)
    .max(LIMITS.chaptersPerBook),
});

export const OutlineChapterSchema = z.object({ title: z.string(), sections: z.array(z.string()) });

export const ImportDocResultSchema = z.object({
  documentId: z.string(),
  proposalId: z.string().nullable(),
  chapters: z.array(OutlineChapterSchema),
  /** Body text of the doc, as material for the summary. */
  material: z.string(),
  words: z.number().int(),
});

export const DocStatusSchema = z.object({
  bookId: z.string(),
  documentId: z.string().nullable(),
  tabId: z.string().nullable(),
  chapters: z.array(
    z.object({
      chapterId: z.string(),
      rangeName: z.string(),
      revisionId: z.string(),
      /** Hash of the text last written (shared/doc-plan textHash), so any host can tell an author's edit. */
      textHash: z.string(),
      source: z.enum(['api', 'addon']),
      writtenAt: TimestampSchema,
    }),
  ),
});
