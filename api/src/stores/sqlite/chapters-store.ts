import type { ChapterRecord, ChaptersStore, TocChangeSet } from '../types.js';
import { casUpdate, insert, setClause, statementCache, type Db } from './helpers.js';

export function createSqliteChaptersStore(db: Db): ChaptersStore {
  const prepare = statementCache(db);
  const get = (bookId: string, chapterId: string) =>
    (prepare('SELECT * FROM chapters WHERE id = ? AND bookId = ?').get(chapterId, bookId) as ChapterRecord | undefined) ?? null;
  const bumpToc = (bookId: string, at: string) =>
    prepare('UPDATE books SET tocVersion = tocVersion + 1, updatedAt = ? WHERE id = ?').run(at, bookId);

  const applyTx = db.transaction(
    (bookId: string, changes: TocChangeSet, options: Parameters<ChaptersStore['applyStructure']>[2]) => {
      const book = prepare('SELECT tocVersion FROM books WHERE id = ?').get(bookId) as { tocVersion: number } | undefined;
      if (!book) return { ok: false as const, reason: 'missing' as const };
      if (options.expectedTocVersion !== null && options.expectedTocVersion !== book.tocVersion) {
        return { ok: false as const, reason: 'conflict' as const, tocVersion: book.tocVersion };
      }
      if (changes.creates.length > 0) {
        const { n } = prepare('SELECT COUNT(*) AS n FROM chapters WHERE bookId = ?').get(bookId) as { n: number };
        if (n + changes.creates.length > options.maxPerBook) return { ok: false as const, reason: 'limit' as const };
      }
      for (const chapter of changes.creates) insert(prepare, 'chapters', { ...chapter });
      for (const { id, patch } of changes.updates) {
        const set = setClause(patch);
        prepare(`UPDATE chapters SET ${set.sql ? `${set.sql}, ` : ''}version = version + 1, updatedAt = ? WHERE id = ? AND bookId = ?`).run(
          ...set.values, options.at, id, bookId,
        );
      }
      bumpToc(bookId, options.at);
      return { ok: true as const, tocVersion: book.tocVersion + 1 };
    },
  );

  const updateTx = db.transaction(
    (bookId: string, chapterId: string, patch: Parameters<ChaptersStore['update']>[2], options: Parameters<ChaptersStore['update']>[3]) => {
      const result = casUpdate(prepare, 'chapters', { id: chapterId, bookId }, patch, options.expectedVersion, options.at, () =>
        get(bookId, chapterId),
      );
      if (result.ok && options.bumpToc) bumpToc(bookId, options.at);
      return result;
    },
  );

  return {
    async get(bookId, chapterId) {
      return get(bookId, chapterId);
    },
    async listByBook(bookId) {
      return prepare('SELECT * FROM chapters WHERE bookId = ? ORDER BY position, id').all(bookId) as ChapterRecord[];
    },
    async applyStructure(bookId, changes, options) {
      return applyTx(bookId, changes, options);
    },
    async update(bookId, chapterId, patch, options) {
      return updateTx(bookId, chapterId, patch, options);
    },
  };
}
