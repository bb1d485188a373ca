import { LIMITS } from '../../../shared/limits.js';
import { newId } from '../../../shared/ids.js';
import type { Chapter, CreateChapterBody, PutTocBody, UpdateChapterBody } from '../../../shared/schemas/chapters.js';
import { AppError, conflict, notFound } from '../lib/app-error.js';
import { decodeCursor, encodeCursor } from '../lib/paging.js';
import { presentChapter } from '../lib/presenters.js';
import type { ChapterRecord, Store } from '../stores/types.js';
import type { BooksService } from './books-service.js';
import { isoNow, type Clock } from './clock.js';
import { mergeToc } from './toc-merge.js';
import { presentToc, readingOrder } from './toc-tree.js';
import { applyTocChanges, updateChapter, type TocChangeSet } from './toc-rules.js';

const limitReached = () => new AppError('LIMIT_REACHED', `A book can hold at most ${LIMITS.chaptersPerBook} chapters and sections.`);

export function createChaptersService(deps: { store: Store; books: BooksService; clock: Clock }) {
  const { store, books, clock } = deps;

  /** The chapter of the user's live book, or 404 for the book (not theirs, trashed, missing) or the chapter. */
  async function requireChapter(userId: string, bookId: string, chapterId: string): Promise<ChapterRecord> {
    const chapter = await store.chapters.getOwned(userId, bookId, chapterId);
    if (chapter === 'no-book') throw notFound('book');
    if (!chapter) throw notFound('chapter');
    return chapter;
  }

  async function currentToc(userId: string, bookId: string) {
    const book = await books.requireBook(userId, bookId);
    return presentToc(bookId, book.tocVersion, await store.chapters.listByBook(bookId));
  }

  /** Applies a structural change without a TOC version check (single-chapter operations). */
  async function applyUnchecked(bookId: string, changes: TocChangeSet) {
    const result = await applyTocChanges(store, bookId, changes, {
      expectedTocVersion: null, maxPerBook: LIMITS.chaptersPerBook, at: isoNow(clock),
    });
    if (!result.ok) throw result.reason === 'limit' ? limitReached() : notFound('book');
  }

  return {
    requireChapter,
    getToc: currentToc,

    async putToc(userId: string, bookId: string, body: PutTocBody) {
      const book = await books.requireBook(userId, bookId);
      const existing = await store.chapters.listByBook(bookId);
      if (body.version !== book.tocVersion) throw conflict('table of contents', presentToc(bookId, book.tocVersion, existing));
      const changes = mergeToc(existing, body, bookId, isoNow(clock), { authored: true });
      const result = await applyTocChanges(store, bookId, changes, {
        expectedTocVersion: body.version, maxPerBook: LIMITS.chaptersPerBook, at: isoNow(clock),
      });
      if (!result.ok) {
        if (result.reason === 'limit') throw limitReached();
        if (result.reason === 'missing') throw notFound('book');
        throw conflict('table of contents', await currentToc(userId, bookId));
      }
      return currentToc(userId, bookId);
    },

    async list(userId: string, bookId: string, query: { limit: number; cursor?: string; includeArchived?: boolean }) {
      await books.requireBook(userId, bookId);
      const ordered = readingOrder(await store.chapters.listByBook(bookId), query.includeArchived ?? false);
      const afterId = decodeCursor(query.cursor);
      const start = afterId === null ? 0 : ordered.findIndex((chapter) => chapter.id === afterId) + 1;
      if (afterId !== null && start === 0) throw new AppError('VALIDATION', 'This list changed while you were paging through it; reload it.', { field: 'cursor' });
      const items = ordered.slice(start, start + query.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(presentChapter),
        nextCursor: start + query.limit < ordered.length && last ? encodeCursor(last.id) : null,
      };
    },

    async create(userId: string, bookId: string, body: CreateChapterBody) {
      await books.requireBook(userId, bookId);
      const chapters = await store.chapters.listByBook(bookId);
      const parentId = body.parentId ?? null;
      if (parentId !== null) {
        const parent = chapters.find((chapter) => chapter.id === parentId);
        if (!parent || parent.archivedAt !== null || parent.parentId !== null) {
          throw new AppError('VALIDATION', 'A section can only go under an active chapter of this book, not under a section or an archived chapter.', { field: 'parentId' });
        }
      }
      const siblings = chapters
        .filter((chapter) => chapter.parentId === parentId && chapter.archivedAt === null)
        .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
      const position = Math.min(body.position ?? siblings.length, siblings.length);
      const at = isoNow(clock);
      const chapter: ChapterRecord = {
        id: newId('chapter'), bookId, parentId, position, title: body.title, description: body.description ?? null,
        status: 'planned', archivedAt: null, authoredAt: null, version: 1, createdAt: at, updatedAt: at,
      };
      // Positions count active siblings: renumber them around the new one (archiving leaves gaps).
      const shifted = siblings
        .map((sibling, index) => ({ sibling, wanted: index < position ? index : index + 1 }))
        .filter(({ sibling, wanted }) => sibling.position !== wanted)
        .map(({ sibling, wanted }) => ({ id: sibling.id, patch: { position: wanted } }));
      await applyUnchecked(bookId, { creates: [chapter], updates: shifted });
      return presentChapter(chapter);
    },

    get(userId: string, bookId: string, chapterId: string): Promise<Chapter> {
      return requireChapter(userId, bookId, chapterId).then(presentChapter);
    },

    async update(userId: string, bookId: string, chapterId: string, body: UpdateChapterBody) {
      const { version, ...patch } = body;
      const current = await requireChapter(userId, bookId, chapterId);
      const renamed = patch.title !== undefined && patch.title !== current.title;
      const named = renamed || (patch.description !== undefined && patch.description !== current.description);
      const at = isoNow(clock);
      const result = await updateChapter(store, bookId, chapterId, { ...patch, ...(named && { authoredAt: at }) }, { expectedVersion: version, bumpToc: renamed, at });
      if (!result.ok) throw result.reason === 'missing' ? notFound('chapter') : conflict('chapter', presentChapter(result.current));
      return presentChapter(result.record);
    },

    /** Archives the chapter and its active sections; nothing is deleted. */
    async archive(userId: string, bookId: string, chapterId: string) {
      const chapter = await requireChapter(userId, bookId, chapterId);
      if (chapter.archivedAt !== null) return;
      const at = isoNow(clock);
      const sections = (await store.chapters.listByBook(bookId)).filter((c) => c.parentId === chapterId && c.archivedAt === null);
      await applyUnchecked(bookId, {
        creates: [],
        updates: [chapter, ...sections].map((c) => ({ id: c.id, patch: { archivedAt: at } })),
      });
    },

    /** Restores an archived chapter at the end of its level, with the sections archived together with it. */
    async restore(userId: string, bookId: string, chapterId: string) {
      const chapter = await requireChapter(userId, bookId, chapterId);
      if (chapter.archivedAt === null) return presentChapter(chapter);
      const chapters = await store.chapters.listByBook(bookId);
      const parent = chapter.parentId ? chapters.find((c) => c.id === chapter.parentId) : undefined;
      const parentId = parent && parent.archivedAt === null ? parent.id : null;
      const endOf = (pid: string | null) =>
        Math.max(-1, ...chapters.filter((c) => c.parentId === pid && c.archivedAt === null).map((c) => c.position)) + 1;
      const sections = chapters.filter((c) => c.parentId === chapter.id && c.archivedAt === chapter.archivedAt);
      await applyUnchecked(bookId, {
        creates: [],
        updates: [
          { id: chapter.id, patch: { archivedAt: null, parentId, position: endOf(parentId) } },
          ...sections.map((section) => ({ id: section.id, patch: { archivedAt: null } })),
        ],
      });
      return presentChapter((await store.chapters.get(bookId, chapterId))!);
    },
  };
}
export type ChaptersService = ReturnType<typeof createChaptersService>;
