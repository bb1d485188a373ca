import type { BookRecord, BooksStore, SummaryVersionRecord } from '../types.js';
import { casUpdate, insert, statementCache, type Db, writeTransaction } from './helpers.js';

export function createSqliteBooksStore(db: Db): BooksStore {
  const prepare = statementCache(db);
  const read = (userId: string, bookId: string, includeDeleted = false) =>
    (prepare(
      `SELECT * FROM books WHERE id = ? AND userId = ? ${includeDeleted ? '' : 'AND deletedAt IS NULL'}`,
    ).get(bookId, userId) as BookRecord | undefined) ?? null;

  const purgeTx = writeTransaction(db, (cutoff: string) => {
    const ids = (prepare('SELECT id FROM books WHERE deletedAt IS NOT NULL AND deletedAt < ?').all(cutoff) as { id: string }[]).map(
      (row) => row.id,
    );
    // Child rows go with the book through ON DELETE CASCADE.
    for (const id of ids) prepare('DELETE FROM books WHERE id = ?').run(id);
    return ids;
  });

  return {
    async insert(book) {
      insert(prepare, 'books', { ...book });
    },
    async countByUser(userId) {
      return (prepare('SELECT COUNT(*) AS n FROM books WHERE userId = ?').get(userId) as { n: number }).n;
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
    async tocVersion(bookId) {
      return (prepare('SELECT tocVersion FROM books WHERE id = ?').get(bookId) as { tocVersion: number } | undefined)?.tocVersion ?? null;
    },
    async bumpTocVersion(bookId, at) {
      prepare('UPDATE books SET tocVersion = tocVersion + 1, updatedAt = ? WHERE id = ?').run(at, bookId);
    },
    async setSummary(bookId, { summary, summaryVersion, summaryUpdatedAt }) {
      prepare('UPDATE books SET summary = ?, summaryVersion = ?, summaryUpdatedAt = ? WHERE id = ?').run(summary, summaryVersion, summaryUpdatedAt, bookId);
    },
    async addSummaryVersion(entry) {
      insert(prepare, 'summary_versions', { ...entry });
    },
    async dropSummaryVersionsThrough(bookId, version) {
      prepare('DELETE FROM summary_versions WHERE bookId = ? AND version <= ?').run(bookId, version);
    },
    async summaryHistory(bookId, limit) {
      return prepare('SELECT * FROM summary_versions WHERE bookId = ? ORDER BY version DESC LIMIT ?').all(
        bookId, limit,
      ) as SummaryVersionRecord[];
    },
  };
}
