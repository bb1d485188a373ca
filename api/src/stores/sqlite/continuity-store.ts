import type { ContinuityNoteRecord, ContinuityStore } from '../engine-types.js';
import { casUpdate, insert, jsonIn, jsonOut, statementCache, type Db, writeTransaction } from './helpers.js';

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
  const createTx = writeTransaction(db, (note: ContinuityNoteRecord, maxPerBook: number) => {
    const { n } = prepare('SELECT COUNT(*) AS n FROM continuity_notes WHERE bookId = ?').get(note.bookId) as { n: number };
    if (n >= maxPerBook) return false;
    insert(prepare, 'continuity_notes', jsonOut(note, JSON_FIELDS));
    return true;
  });
  const replaceTx = writeTransaction(db, (bookId: string, removeIds: string[], rows: ContinuityNoteRecord[]) => {
    // A note the author locked or edited meanwhile stays, whatever the extraction decided.
    for (const id of removeIds) prepare('DELETE FROM continuity_notes WHERE id = ? AND bookId = ? AND locked = 0 AND editedAt IS NULL').run(id, bookId);
    for (const row of rows) insert(prepare, 'continuity_notes', jsonOut(row, JSON_FIELDS));
  });
  return {
    async list(bookId) {
      return prepare('SELECT * FROM continuity_notes WHERE bookId = ? ORDER BY id').all(bookId).map((row) => fromRow(row)!);
    },
    async get(bookId, noteId) {
      return read(bookId, noteId);
    },
    async create(note, maxPerBook) {
      return createTx(note, maxPerBook);
    },
    async replace(bookId, removeIds, rows) {
      replaceTx(bookId, removeIds, rows);
    },
    async update(bookId, noteId, patch, expectedVersion, at) {
      return casUpdate(prepare, 'continuity_notes', { id: noteId, bookId }, patch, expectedVersion, at, () => read(bookId, noteId));
    },
    async delete(bookId, noteId) {
      return prepare('DELETE FROM continuity_notes WHERE id = ? AND bookId = ?').run(noteId, bookId).changes === 1;
    },
  };
}
