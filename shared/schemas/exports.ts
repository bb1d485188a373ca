import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { IdParamSchema, TimestampSchema } from './common.js';

/** The formats a book exports to. */
export const EXPORT_FORMATS = ['docx', 'pdf', 'epub', 'markdown'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportOptionsSchema = z.object({
  /** Page size of the PDF and DOCX (ignored by EPUB and Markdown, which reflow). Default A4. */
  pageSize: z.enum(['A4', 'Letter']).optional(),
  /** Whether the front matter carries a table of contents. Default true. */
  tableOfContents: z.boolean().optional(),
});
export type ExportOptions = z.infer<typeof ExportOptionsSchema>;

export const StartExportBodySchema = z.object({
  format: ExportFormatSchema,
  /** Only these chapters (in TOC order); default the whole book. */
  chapterIds: z.array(z.string().max(100)).min(1).max(LIMITS.chaptersPerBook).optional(),
  options: ExportOptionsSchema.optional(),
});

export const ExportParamsSchema = z.object({ bookId: IdParamSchema, exportId: IdParamSchema });

/** A chapter left out of an export, and why (it has no accepted draft, or it is not an active chapter). */
export const SkippedChapterSchema = z.object({
  chapterId: z.string(),
  title: z.string().nullable(),
  reason: z.enum(['no_accepted_draft', 'not_found']),
});

export const ExportSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  jobId: z.string(),
  format: ExportFormatSchema,
  /** The file name the download is offered under. */
  filename: z.string(),
  mediaType: z.string(),
  bytes: z.number().int().min(0),
  /** Chapters in the file. */
  chapters: z.number().int().min(0),
  skipped: z.array(SkippedChapterSchema),
  /** After this the file is deleted (kept LIMITS.exportRetentionDays days). */
  expiresAt: TimestampSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** An exported file of a book, downloadable until it expires. */
export type Export = z.infer<typeof ExportSchema>;

/** What a finished `export.generate` job holds in `result`. */
export const ExportJobResultSchema = z.object({
  exportId: z.string(),
  format: ExportFormatSchema,
  bytes: z.number().int(),
  chapters: z.number().int(),
  skipped: z.array(SkippedChapterSchema),
});
export type ExportJobResult = z.infer<typeof ExportJobResultSchema>;

/** Media type and file extension of each format. */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { mediaType: string; extension: string }> = {
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  epub: { mediaType: 'application/epub+zip', extension: 'epub' },
  markdown: { mediaType: 'text/markdown; charset=utf-8', extension: 'md' },
};
