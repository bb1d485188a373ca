import type { CasResult, ChapterRecord, ChaptersStore } from '../types.js';
import { insert, setClause, statementCache, type Db } from './helpers.js';
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
    async countByBook(bookId) {
      return (prepare('SELECT COUNT(*) AS n FROM chapters WHERE bookId = ?').get(bookId) as { n: number }).n;
    },
    async insert(chapter) {
      insert(prepare, 'chapters', { ...chapter });
    },
    async update(bookId, chapterId, patch, { expectedVersion, at }): Promise<CasResult<ChapterRecord>> {
      // RETURNING hands back the updated row, so a successful write needs no second read.
      const set = setClause(patch);
      const checked = expectedVersion !== null;
      const record = prepare(
        `UPDATE chapters SET ${set.sql ? `${set.sql}, ` : ''}version = version + 1, updatedAt = ?
           WHERE id = ? AND bookId = ?${checked ? ' AND version = ?' : ''} RETURNING *`,
      ).get(...set.values, at, chapterId, bookId, ...(checked ? [expectedVersion] : [])) as ChapterRecord | undefined;
      if (record) return { ok: true, record };
      const current = get(bookId, chapterId);
      return current ? { ok: false, reason: 'conflict', current } : { ok: false, reason: 'missing' };
    },
  };
}
