import type { CasResult, ChapterRecord, ChaptersStore, TocChangeSet } from '../types.js';
import { insert, setClause, statementCache, type Db, writeTransaction } from './helpers.js';
import { createOwnedChapterCache, type OwnedChapterRow } from './owned-chapter-cache.js';

/**
 * The owned-chapter read: the book's owner and liveness, then the chapter's columns (all NULL when the book has no
 * such chapter); undefined when there is no such book. Rows come back as arrays and become objects here:
 * better-sqlite3 builds each row object column by column through the V8 API, which costs more than the query.
 */
function ownedChapterRead(db: Db) {
  const statement = db
    .prepare('SELECT b.userId, b.deletedAt IS NULL, c.* FROM books b LEFT JOIN chapters c ON c.id = ? AND c.bookId = b.id WHERE b.id = ?')
    .raw(true);
  const names = statement.columns().slice(2).map((column) => column.name);
  return (bookId: string, chapterId: string): OwnedChapterRow | undefined => {
    const values = statement.get(chapterId, bookId) as unknown[] | undefined;
    if (values === undefined) return undefined;
    let chapter: Record<string, unknown> | null = null;
    if (values[2] !== null) {
      chapter = {};
      for (let i = 0; i < names.length; i++) chapter[names[i]!] = values[i + 2];
    }
    return { book: { userId: values[0] as string, live: values[1] === 1 }, chapter: chapter as ChapterRecord | null };
  };
}

export function createSqliteChaptersStore(db: Db): ChaptersStore {
  const prepare = statementCache(db);
  const readOwned = ownedChapterRead(db);
  const ownedCache = createOwnedChapterCache(db);
  const get = (bookId: string, chapterId: string) =>
    (prepare('SELECT * FROM chapters WHERE id = ? AND bookId = ?').get(chapterId, bookId) as ChapterRecord | undefined) ?? null;
  const bumpToc = (bookId: string, at: string) =>
    prepare('UPDATE books SET tocVersion = tocVersion + 1, updatedAt = ? WHERE id = ?').run(at, bookId);

  const applyTx = writeTransaction(db, 
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

  const updateTx = writeTransaction(db, 
    (
      bookId: string,
      chapterId: string,
      patch: Parameters<ChaptersStore['update']>[2],
      options: Parameters<ChaptersStore['update']>[3],
    ): CasResult<ChapterRecord> => {
      // RETURNING hands back the updated row, so a successful write needs no second read.
      const set = setClause(patch);
      const checked = options.expectedVersion !== null;
      const record = prepare(
        `UPDATE chapters SET ${set.sql ? `${set.sql}, ` : ''}version = version + 1, updatedAt = ?
           WHERE id = ? AND bookId = ?${checked ? ' AND version = ?' : ''} RETURNING *`,
      ).get(...set.values, options.at, chapterId, bookId, ...(checked ? [options.expectedVersion] : [])) as ChapterRecord | undefined;
      if (!record) {
        const current = get(bookId, chapterId);
        return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'missing' };
      }
      if (options.bumpToc) bumpToc(bookId, options.at);
      return { ok: true, record };
    },
  );

  return {
    async get(bookId, chapterId) {
      return get(bookId, chapterId);
    },
    async getOwned(userId, bookId, chapterId) {
      const read = ownedCache.get(bookId, chapterId, () => readOwned(bookId, chapterId));
      if (!read || read.book.userId !== userId || !read.book.live) return 'no-book';
      return read.chapter;
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
