import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import {
  EXPORT_FILE_TYPES, type ExportFormat, type ExportJobResult, type ExportOptions,
} from '../../../shared/schemas/exports.js';
import type { ExportBook, ExportChapter } from '../export/export-book.js';
import { languageTag } from '../export/export-book.js';
import { EXPORT_WRITERS, exportFilename } from '../export/export-writers.js';
import { AppError, notFound } from '../lib/app-error.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import type { ExportRecord } from '../stores/export-types.js';
import type { BookRecord, Store, UserRecord } from '../stores/types.js';
import type { BooksService } from './books-service.js';
import { isoNow, type Clock } from './clock.js';
import { presentJob, type JobsService } from './jobs-service.js';
import { readingOrder } from './toc-tree.js';

type ExportParams = { format: ExportFormat; chapterIds: string[] | null; options: ExportOptions };
type Skipped = ExportJobResult['skipped'][number];

const NO_ACCEPTED_DRAFTS = 'This book has no accepted chapter drafts yet, so there is nothing to export. Accept a draft of at least one chapter, then export again.';

export const presentExport = ({ userId: _userId, ...record }: ExportRecord) => record;

/**
 * Exports: a job (`export.generate`, no AI, no quota) lays out the accepted drafts of the chosen chapters in TOC
 * order with front matter, in one of four formats, and keeps the file for LIMITS.exportRetentionDays days.
 * Chapters without an accepted draft are listed as skipped, never silently dropped.
 */
export function createExportsService(deps: { store: Store; books: BooksService; jobs: JobsService; clock: Clock }) {
  const { store, books, jobs, clock } = deps;

  /** The chapters to export in TOC order (a section counts as one when its chapter is in the export too), and those skipped. */
  async function select(bookId: string, chapterIds: string[] | null) {
    const order = readingOrder(await store.chapters.listByBook(bookId), false);
    const wanted = chapterIds ? order.filter((chapter) => chapterIds.includes(chapter.id)) : order;
    const skipped: Skipped[] = (chapterIds ?? [])
      .filter((id) => !order.some((chapter) => chapter.id === id))
      .map((chapterId) => ({ chapterId, title: null, reason: 'not_found' }));
    const included = new Set<string>();
    const chapters: ExportChapter[] = [];
    for (const chapter of wanted) {
      const draft = await store.drafts.accepted(chapter.id);
      if (!draft) {
        skipped.push({ chapterId: chapter.id, title: chapter.title, reason: 'no_accepted_draft' });
        continue;
      }
      included.add(chapter.id);
      chapters.push({ id: chapter.id, title: chapter.title, isSection: chapter.parentId !== null && included.has(chapter.parentId), blocks: draft.blocks });
    }
    if (chapters.length === 0) throw new AppError('VALIDATION', NO_ACCEPTED_DRAFTS, { skipped });
    return { chapters, skipped };
  }

  function exportBook(book: BookRecord, author: UserRecord, chapters: ExportChapter[]): ExportBook {
    return {
      id: book.id, title: book.title, subtitle: book.subtitle, author: author.name, language: languageTag(book.language),
      exportedAt: isoNow(clock), chapters,
    };
  }

  jobs.handle('export.generate', async (user, job) => async (ctx): Promise<ExportJobResult> => {
    const params = job.params as ExportParams;
    const book = await books.requireBook(user.id, job.bookId);
    const { chapters, skipped } = await select(book.id, params.chapterIds);
    await ctx.progress(2, `laying out ${chapters.length} chapters`);
    const layout = { pageSize: params.options.pageSize ?? 'A4', tableOfContents: params.options.tableOfContents ?? true };
    const content = await EXPORT_WRITERS[params.format](exportBook(book, user, chapters), layout, (index) =>
      ctx.progress(2 + (93 * (index + 1)) / chapters.length, `chapter ${index + 1} of ${chapters.length}`),
    );
    await ctx.progress(97, 'saving the file');
    const at = isoNow(clock);
    const type = EXPORT_FILE_TYPES[params.format];
    const record: ExportRecord = {
      id: newId('export'), userId: user.id, bookId: book.id, jobId: job.id, format: params.format, filename: exportFilename(book.title, type.extension),
      mediaType: type.mediaType, bytes: content.length, chapters: chapters.length, skipped,
      expiresAt: new Date(clock.now().getTime() + LIMITS.exportRetentionDays * 86_400_000).toISOString(), createdAt: at, updatedAt: at,
    };
    await store.exports.create(record, content);
    return { exportId: record.id, format: record.format, bytes: record.bytes, chapters: record.chapters, skipped };
  });

  async function requireExport(userId: string, bookId: string, exportId: string) {
    await books.requireBook(userId, bookId);
    const record = await store.exports.get(userId, bookId, exportId, isoNow(clock));
    if (!record) throw notFound('export');
    return record;
  }

  return {
    /** Starts the export job; a book with nothing accepted is refused before any job exists. */
    async start(user: UserRecord, bookId: string, body: { format: ExportFormat; chapterIds?: string[]; options?: ExportOptions }) {
      await books.requireBook(user.id, bookId);
      const params: ExportParams = { format: body.format, chapterIds: body.chapterIds ?? null, options: body.options ?? {} };
      await select(bookId, params.chapterIds);
      const job = await jobs.start({ user, kind: 'export.generate', bookId, chapterId: null, targetId: `${bookId}:${body.format}`, params, reserveTokens: 0 });
      return { job: presentJob(job) };
    },

    async list(userId: string, bookId: string, query: { limit?: number; cursor?: string }) {
      await books.requireBook(userId, bookId);
      const limit = query.limit ?? LIMITS.pageLimitDefault;
      return toPage(await store.exports.listByBook(userId, bookId, limit + 1, decodeCursor(query.cursor), isoNow(clock)), limit, presentExport);
    },

    /** The export's record and its bytes (a stream); a file gone from under its record is a 404 too. */
    async download(userId: string, bookId: string, exportId: string) {
      const record = await requireExport(userId, bookId, exportId);
      const content = await store.exports.open(record.id);
      if (!content) throw notFound('export');
      return { record, content };
    },

    purgeExpired: () => store.exports.purgeExpired(isoNow(clock)),

    /** Deletes the exports of books purged from the trash. */
    async deleteForBooks(bookIds: string[]) {
      for (const bookId of bookIds) await store.exports.deleteByBook(bookId);
    },
  };
}
export type ExportsService = ReturnType<typeof createExportsService>;
