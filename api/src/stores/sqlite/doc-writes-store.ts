import type { DocWriteRecord, DocWritesStore } from '../engine-types.js';
import { statementCache, type Db } from './helpers.js';

export function createSqliteDocWritesStore(db: Db): DocWritesStore {
  const prepare = statementCache(db);
  return {
    async upsert(record) {
      prepare(
        `INSERT OR REPLACE INTO doc_writes (bookId, chapterId, documentId, tabId, rangeName, revisionId, textHash, source, writtenAt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(record.bookId, record.chapterId, record.documentId, record.tabId, record.rangeName, record.revisionId, record.textHash, record.source, record.writtenAt);
    },
    async listByBook(bookId) {
      return prepare('SELECT * FROM doc_writes WHERE bookId = ? ORDER BY writtenAt').all(bookId) as DocWriteRecord[];
    },
  };
}
