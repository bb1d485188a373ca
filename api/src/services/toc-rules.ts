import type { CasResult, ChapterPatch, ChapterRecord, Store } from '../stores/types.js';

/** One structural change set for a book's TOC, applied atomically under a tocVersion check. */
export interface TocChangeSet {
  creates: ChapterRecord[];
  updates: Array<{ id: string; patch: ChapterPatch }>;
}

export type TocApplyResult = { ok: true; tocVersion: number } | { ok: false; reason: 'conflict' | 'limit' | 'missing'; tocVersion?: number };

/**
 * Applies a TOC change set and bumps the book's tocVersion, all or nothing. `expectedTocVersion` null skips the
 * version check; 'limit' when the creates would take the book past `maxPerBook` chapters (archived ones count).
 */
export function applyTocChanges(
  store: Store,
  bookId: string,
  changes: TocChangeSet,
  options: { expectedTocVersion: number | null; maxPerBook: number; at: string },
): Promise<TocApplyResult> {
  return store.atomically(async (tx): Promise<TocApplyResult> => {
    const tocVersion = await tx.books.tocVersion(bookId);
    if (tocVersion === null) return { ok: false, reason: 'missing' };
    if (options.expectedTocVersion !== null && options.expectedTocVersion !== tocVersion) return { ok: false, reason: 'conflict', tocVersion };
    if (changes.creates.length > 0 && (await tx.chapters.countByBook(bookId)) + changes.creates.length > options.maxPerBook) {
      return { ok: false, reason: 'limit' };
    }
    for (const chapter of changes.creates) await tx.chapters.insert(chapter);
    for (const { id, patch } of changes.updates) await tx.chapters.update(bookId, id, patch, { expectedVersion: null, at: options.at });
    // The book is written in every change set, so concurrent ones conflict (MongoDB retries the loser from its read).
    await tx.books.bumpTocVersion(bookId, options.at);
    return { ok: true, tocVersion: tocVersion + 1 };
  });
}

/** Compare-and-swap on the chapter's version; `bumpToc` (renames) also bumps the book's tocVersion, in the same transaction. */
export function updateChapter(
  store: Store,
  bookId: string,
  chapterId: string,
  patch: ChapterPatch,
  options: { expectedVersion: number | null; bumpToc: boolean; at: string },
): Promise<CasResult<ChapterRecord>> {
  const { expectedVersion, at } = options;
  if (!options.bumpToc) return store.chapters.update(bookId, chapterId, patch, { expectedVersion, at });
  return store.atomically(async (tx) => {
    const result = await tx.chapters.update(bookId, chapterId, patch, { expectedVersion, at });
    if (result.ok) await tx.books.bumpTocVersion(bookId, at);
    return result;
  });
}
