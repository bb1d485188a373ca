import type { ContinuityDeletionRecord, ContinuityNoteRecord, ContinuityStore } from '../engine-types.js';
import { casUpdate, insert, jsonIn, jsonOut, statementCache, type Db } from './helpers.js';

const JSON_FIELDS = ['source', 'generatedBy'] as const;
type Row = Omit<ContinuityNoteRecord, 'locked'> & { locked: number };

const fromRow = (row: unknown): ContinuityNoteRecord | null => {
  if (!row) return null;
  const note = jsonIn<Row>(row, JSON_FIELDS);
  return { ...note, locked: note.locked === 1 };
};

export function createSqliteContinuityStore(db: Db): ContinuityStore {
  const prepare = statementCache(db);
  const read = (bookId: string, noteId: string) => fromRow(prepare('SELECT * FROM continuity_notes WHERE id = ? AND bookId = ?').get(noteId, bookId));
  return {
    async list(bookId) {
      return prepare('SELECT * FROM continuity_notes WHERE bookId = ? ORDER BY id').all(bookId).map((row) => fromRow(row)!);
    },
    async get(bookId, noteId) {
      return read(bookId, noteId);
    },
    async count(bookId) {
      return (prepare('SELECT COUNT(*) AS n FROM continuity_notes WHERE bookId = ?').get(bookId) as { n: number }).n;
    },
    async insert(notes) {
      for (const note of notes) insert(prepare, 'continuity_notes', jsonOut(note, JSON_FIELDS));
    },
    async remove(bookId, noteIds) {
      if (noteIds.length === 0) return 0;
      return prepare('DELETE FROM continuity_notes WHERE bookId = ? AND id IN (SELECT value FROM json_each(?))').run(bookId, JSON.stringify(noteIds)).changes;
    },
    async update(bookId, noteId, patch, expectedVersion, at) {
      return casUpdate(prepare, 'continuity_notes', { id: noteId, bookId }, patch, expectedVersion, at, () => read(bookId, noteId));
    },
    async rememberDeletions(deletions) {
      const replace = 'ON CONFLICT (bookId, subjectKey) DO UPDATE SET subject = excluded.subject, deletedAt = excluded.deletedAt, note = excluded.note';
      for (const deletion of deletions) insert(prepare, 'continuity_deletions', jsonOut(deletion, ['note']), replace);
    },
    async listDeletions(bookId) {
      const rows = prepare('SELECT * FROM continuity_deletions WHERE bookId = ? ORDER BY deletedAt, subjectKey').all(bookId);
      return rows.map((row) => jsonIn<ContinuityDeletionRecord>(row, ['note']));
    },
    async forgetDeletions(bookId, subjectKeys) {
      if (subjectKeys.length === 0) return 0;
      return prepare('DELETE FROM continuity_deletions WHERE bookId = ? AND subjectKey IN (SELECT value FROM json_each(?))').run(bookId, JSON.stringify(subjectKeys)).changes;
    },
  };
}
