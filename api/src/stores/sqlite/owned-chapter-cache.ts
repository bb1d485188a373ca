import type { ChapterRecord } from '../types.js';
import type { Db } from './helpers.js';

/** How long another process's write may go unseen (this process's own writes are seen at once). */
export const OTHER_WRITERS_STALE_MS = 50;
/** Chapters kept at most by default (about a kilobyte each); whole books are dropped oldest first past it. */
const MAX_CHAPTERS = 20_000;

interface BookEntry {
  userId: string;
  live: boolean;
  /** A chapter id → its row, or null when the book has no such chapter. */
  chapters: Map<string, Readonly<ChapterRecord> | null>;
}

/** What a lookup knows: the book's owner and liveness, and the chapter when it has been read before. */
export interface CachedOwnedChapter {
  userId: string;
  live: boolean;
  chapter: Readonly<ChapterRecord> | null | undefined;
}

/**
 * Chapters read recently, with their book's owner and liveness, so that reading a chapter again (the panels' most
 * frequent request) needs no SQLite read transaction. Every write of this process to a book or its chapters drops
 * that book's entry in the same synchronous step, so this process never reads its own writes stale. Writes by another
 * process on the same file (a second server) move SQLite's `data_version`, checked at most every
 * `OTHER_WRITERS_STALE_MS`; a change clears everything. Rows are frozen: callers copy, never edit.
 */
export function createOwnedChapterCache(db: Db, { maxChapters = MAX_CHAPTERS, now = Date.now }: { maxChapters?: number; now?: () => number } = {}) {
  const books = new Map<string, BookEntry>();
  let size = 0;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  let checkedAt = now();

  function clear() {
    books.clear();
    size = 0;
  }

  function forgetBook(bookId: string) {
    const entry = books.get(bookId);
    if (!entry) return;
    size -= entry.chapters.size;
    books.delete(bookId);
  }

  /** Clears everything when another connection has committed since the last check (at most every STALE_MS). */
  function dropOtherWriters() {
    const at = now();
    if (at - checkedAt < OTHER_WRITERS_STALE_MS) return;
    checkedAt = at;
    const version = dataVersion.get() as number;
    if (version !== seenVersion) {
      seenVersion = version;
      clear();
    }
  }

  return {
    lookup(bookId: string, chapterId: string): CachedOwnedChapter | undefined {
      dropOtherWriters();
      const entry = books.get(bookId);
      return entry && { userId: entry.userId, live: entry.live, chapter: entry.chapters.get(chapterId) };
    },
    /** Records what a read inside this process just returned (call it in the same synchronous step as the read). */
    remember(bookId: string, book: { userId: string; live: boolean }, chapterId: string, chapter: ChapterRecord | null) {
      let entry = books.get(bookId);
      if (!entry) {
        entry = { userId: book.userId, live: book.live, chapters: new Map() };
        books.set(bookId, entry);
      }
      if (!entry.chapters.has(chapterId)) size++;
      entry.chapters.set(chapterId, chapter && Object.freeze(chapter));
      for (const [oldest, old] of books) {
        if (size <= maxChapters || old === entry) break;
        size -= old.chapters.size;
        books.delete(oldest);
      }
    },
    forgetBook,
    clear,
    /** Chapters held now (tests). */
    get size() {
      return size;
    },
  };
}

export type OwnedChapterCache = ReturnType<typeof createOwnedChapterCache>;
