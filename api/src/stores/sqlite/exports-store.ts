import { createReadStream, existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportRecord, ExportsStore } from '../export-types.js';
import { insert, jsonIn, jsonOut, statementCache, type Db } from './helpers.js';
import { ensurePrivateDir } from './private-files.js';

/** Files not named after a stored export older than this are leftovers of a crash between the file and its record. */
const ORPHAN_AGE_MS = 24 * 3_600_000;

/**
 * Exports on SQLite: the record in the database, the bytes in `DATA_DIR/exports/<id>` (owner-only, written to a
 * temporary name and renamed, so a file is whole or absent). Every process that shares the SQLite file shares the
 * directory too, so any of them can serve a download.
 */
export function createSqliteExportsStore(db: Db, dataDir: string): ExportsStore {
  const prepare = statementCache(db);
  const dir = path.join(dataDir, 'exports');
  const fileOf = (id: string) => path.join(dir, id);
  const read = (row: unknown) => jsonIn<ExportRecord>(row, ['skipped']);
  const removeFiles = (ids: string[]) => ids.forEach((id) => rmSync(fileOf(id), { force: true }));

  return {
    async create(record, content) {
      ensurePrivateDir(dir);
      const temporary = `${fileOf(record.id)}.partial`;
      writeFileSync(temporary, content, { mode: 0o600 });
      renameSync(temporary, fileOf(record.id));
      insert(prepare, 'exports', jsonOut(record, ['skipped']));
    },
    async get(userId, bookId, exportId, now) {
      return read(prepare('SELECT * FROM exports WHERE id = ? AND userId = ? AND bookId = ? AND expiresAt > ?').get(exportId, userId, bookId, now)) ?? null;
    },
    async listByBook(userId, bookId, limit, afterId, now) {
      const rows = prepare(
        'SELECT * FROM exports WHERE userId = ? AND bookId = ? AND expiresAt > ? AND id < ? ORDER BY id DESC LIMIT ?',
      ).all(userId, bookId, now, afterId ?? '~', limit);
      return rows.map(read);
    },
    async open(exportId) {
      return existsSync(fileOf(exportId)) ? createReadStream(fileOf(exportId)) : null;
    },
    async purgeExpired(now) {
      const ids = (prepare('SELECT id FROM exports WHERE expiresAt <= ?').all(now) as Array<{ id: string }>).map((row) => row.id);
      prepare('DELETE FROM exports WHERE expiresAt <= ?').run(now);
      removeFiles(ids);
      if (existsSync(dir)) {
        const known = new Set((prepare('SELECT id FROM exports').all() as Array<{ id: string }>).map((row) => row.id));
        const cutoff = Date.parse(now) - ORPHAN_AGE_MS;
        const orphans = readdirSync(dir).filter((name) => !known.has(name) && statSync(path.join(dir, name)).mtimeMs < cutoff);
        removeFiles(orphans);
      }
      return ids.length;
    },
    async deleteByBook(bookId) {
      const ids = (prepare('SELECT id FROM exports WHERE bookId = ?').all(bookId) as Array<{ id: string }>).map((row) => row.id);
      prepare('DELETE FROM exports WHERE bookId = ?').run(bookId);
      removeFiles(ids);
    },
  };
}

