import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { BooleanQuerySchema, IdParamSchema, PageQuerySchema, TimestampSchema, VersionSchema, requiredText } from './common.js';

export const CHAPTER_STATUSES = ['planned', 'writing', 'drafted', 'done'] as const;
export const ChapterStatusSchema = z.enum(CHAPTER_STATUSES);

export const ChapterSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  parentId: z.string().nullable(),
  position: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  status: ChapterStatusSchema,
  archived: z.boolean(),
  archivedAt: TimestampSchema.nullable(),
  version: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** A chapter (or a section, when `parentId` is set) as the API returns it. */
export type Chapter = z.infer<typeof ChapterSchema>;

const chapterTitle = requiredText(LIMITS.chapterTitleMax);
const chapterDescription = z.string().max(LIMITS.chapterDescriptionMax).nullable().optional();

export const CreateChapterBodySchema = z.object({
  title: chapterTitle,
  description: chapterDescription,
  parentId: z.string().max(100).nullable().optional(),
  position: z.number().int().min(0).max(LIMITS.chaptersPerBook).optional(),
});
export type CreateChapterBody = z.infer<typeof CreateChapterBodySchema>;

export const UpdateChapterBodySchema = z.object({
  version: VersionSchema,
  title: chapterTitle.optional(),
  description: chapterDescription,
  status: ChapterStatusSchema.optional(),
});
export type UpdateChapterBody = z.infer<typeof UpdateChapterBodySchema>;

export const ChapterParamsSchema = z.object({ bookId: IdParamSchema, chapterId: IdParamSchema });

export const ListChaptersQuerySchema = PageQuerySchema.extend({
  includeArchived: BooleanQuerySchema.optional(),
});

const TocSectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: ChapterStatusSchema,
  version: z.number().int(),
});

export const TocChapterSchema = TocSectionSchema.extend({ children: z.array(TocSectionSchema) });

export const TocSchema = z.object({
  bookId: z.string(),
  version: z.number().int(),
  chapters: z.array(TocChapterSchema),
  archived: z.array(ChapterSchema),
});
/** The book's table of contents: active chapters as a tree, archived ones beside it. */
export type Toc = z.infer<typeof TocSchema>;

const TocItemBodySchema = z.object({
  id: z.string().max(100).optional(),
  title: chapterTitle,
  description: chapterDescription,
});

export const PutTocBodySchema = z.object({
  version: VersionSchema,
  chapters: z
    // Sections are strict: a third level is refused rather than silently dropped.
    .array(TocItemBodySchema.extend({ children: z.array(TocItemBodySchema.strict()).max(LIMITS.chaptersPerBook).optional() }))
    .max(LIMITS.chaptersPerBook),
});
/** A structural TOC edit: merged by chapter id; chapters left out are archived. */
export type PutTocBody = z.infer<typeof PutTocBodySchema>;
