import type { BookRecord, BooksStore, SummaryVersionRecord } from '../types.js';
import { casUpdate, insert, statementCache, type Db, writeTransaction } from './helpers.js';

export function createSqliteBooksStore(db: Db): BooksStore {
  const prepare = statementCache(db);
  const read = (userId: string, bookId: string, includeDeleted = false) =>
    (prepare(
      `SELECT * FROM books WHERE id = ? AND userId = ? ${includeDeleted ? '' : 'AND deletedAt IS NULL'}`,
    ).get(bookId, userId) as BookRecord | undefined) ?? null;

  const createTx = writeTransaction(db, (book: BookRecord, maxPerUser: number) => {
    const { n } = prepare('SELECT COUNT(*) AS n FROM books WHERE userId = ?').get(book.userId) as { n: number };
    if (n >= maxPerUser) return false;
    insert(prepare, 'books', { ...book });
    return true;
  });

  const putSummaryTx = writeTransaction(db, 
    (userId: string, bookId: string, entry: Parameters<BooksStore['putSummary']>[2]) => {
      const current = read(userId, bookId);
      if (!current) return { ok: false as const, reason: 'missing' as const };
      if (entry.expectedVersion !== null && entry.expectedVersion !== current.summaryVersion) {
        return { ok: false as const, reason: 'conflict' as const, current };
      }
      if (current.summary === entry.summary) return { ok: true as const, record: current };
      const version = current.summaryVersion + 1;
      prepare('UPDATE books SET summary = ?, summaryVersion = ?, summaryUpdatedAt = ? WHERE id = ?').run(
        entry.summary, version, entry.at, bookId,
      );
      insert(prepare, 'summary_versions', { bookId, version, summary: entry.summary, words: entry.words, createdAt: entry.at });
      prepare('DELETE FROM summary_versions WHERE bookId = ? AND version <= ?').run(bookId, version - entry.keep);
      return { ok: true as const, record: read(userId, bookId)! };
    },
  );

  const purgeTx = writeTransaction(db, (cutoff: string) => {
    const ids = (prepare('SELECT id FROM books WHERE deletedAt IS NOT NULL AND deletedAt < ?').all(cutoff) as { id: string }[]).map(
      (row) => row.id,
    );
    // Child rows go with the book through ON DELETE CASCADE.
    for (const id of ids) prepare('DELETE FROM books WHERE id = ?').run(id);
    return ids;
  });

  return {
    async create(book, maxPerUser) {
      return createTx(book, maxPerUser);
    },
    async get(userId, bookId, includeDeleted) {
      return read(userId, bookId, includeDeleted);
    },
    async list(userId, { limit, beforeId, documentId, trash }) {
      return prepare(
        `SELECT * FROM books WHERE userId = ? AND (? IS NULL OR id < ?) AND (? IS NULL OR documentId = ?)
           AND ${trash ? 'deletedAt IS NOT NULL' : 'deletedAt IS NULL'}
         ORDER BY id DESC LIMIT ?`,
      ).all(userId, beforeId, beforeId, documentId, documentId, limit) as BookRecord[];
    },
    async update(userId, bookId, patch, expectedVersion, at) {
      // A trashed book is not there for updates: without `deletedAt IS NULL` the write would land and report 'missing'.
      return casUpdate(prepare, 'books', { id: bookId, userId, deletedAt: null }, patch, expectedVersion, at, () => read(userId, bookId));
    },
    async setDeleted(userId, bookId, deletedAt, at) {
      const changes = prepare(
        `UPDATE books SET deletedAt = ?, version = version + 1, updatedAt = ? WHERE id = ? AND userId = ?
           AND deletedAt IS ${deletedAt === null ? 'NOT NULL' : 'NULL'}`,
      ).run(deletedAt, at, bookId, userId).changes;
      return changes === 1 ? read(userId, bookId, true) : null;
    },
    async purgeDeletedBefore(cutoff) {
      return purgeTx(cutoff);
    },
    async putSummary(userId, bookId, entry) {
      return putSummaryTx(userId, bookId, entry);
    },
    async summaryHistory(bookId, limit) {
      return prepare('SELECT * FROM summary_versions WHERE bookId = ? ORDER BY version DESC LIMIT ?').all(
        bookId, limit,
      ) as SummaryVersionRecord[];
    },
  };
}
