import type { ChapterRecord, ChaptersStore } from './types.js';

/**
 * An optional fast path a store may add to its chapters store without changing `ChaptersStore`: a chapter of a
 * user's live book read together with the ownership check, in one query instead of a book read and a chapter read.
 */
export interface OwnedChapterRead {
  /** The chapter; null when the book is the user's live book but has no such chapter; 'no-book' when it is not. */
  getOwned(userId: string, bookId: string, chapterId: string): Promise<ChapterRecord | null | 'no-book'>;
}

export function hasOwnedChapterRead(chapters: ChaptersStore): chapters is ChaptersStore & OwnedChapterRead {
  return typeof (chapters as Partial<OwnedChapterRead>).getOwned === 'function';
}
