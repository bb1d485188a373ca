import type { BookRecord, CasResult, Store } from '../stores/types.js';

/** Inserts a book unless the user already has `maxPerUser` books (trashed ones count); false when at the cap. */
export function createBookWithinCap(store: Store, book: BookRecord, maxPerUser: number): Promise<boolean> {
  return store.atomically(
    async (tx) => {
      if ((await tx.books.countByUser(book.userId)) >= maxPerUser) return false;
      await tx.books.insert(book);
      return true;
    },
    { lock: `books:${book.userId}` },
  );
}

/**
 * Saves a book's summary under a check of its summary version (none when `expectedVersion` is null). The same text
 * again changes nothing; a new text gets the next version number and a history entry, and only the newest `keep`
 * history entries are kept.
 */
export function saveSummary(
  store: Store,
  userId: string,
  bookId: string,
  entry: { summary: string; words: number; expectedVersion: number | null; at: string; keep: number },
): Promise<CasResult<BookRecord>> {
  return store.atomically(async (tx): Promise<CasResult<BookRecord>> => {
    const current = await tx.books.get(userId, bookId);
    if (!current) return { ok: false, reason: 'missing' };
    if (entry.expectedVersion !== null && entry.expectedVersion !== current.summaryVersion) return { ok: false, reason: 'conflict', current };
    if (current.summary === entry.summary) return { ok: true, record: current };
    const saved = { summary: entry.summary, summaryVersion: current.summaryVersion + 1, summaryUpdatedAt: entry.at };
    // Writing the book first makes concurrent saves of it conflict (MongoDB retries the loser from its read).
    await tx.books.setSummary(bookId, saved);
    await tx.books.addSummaryVersion({ bookId, version: saved.summaryVersion, summary: entry.summary, words: entry.words, createdAt: entry.at });
    await tx.books.dropSummaryVersionsThrough(bookId, saved.summaryVersion - entry.keep);
    return { ok: true, record: { ...current, ...saved } };
  });
}
