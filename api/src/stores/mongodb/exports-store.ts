import { Readable } from 'node:stream';
import { GridFSBucket, type Db } from 'mongodb';
import type { ExportRecord, ExportsStore } from '../export-types.js';
import { fromDoc, toDoc, type Doc } from './collections.js';

const EXPORTS = 'exports';
/** The GridFS bucket of export files (`export_files.files` / `.chunks`), each file's `_id` the export id. */
const BUCKET = 'export_files';
/** Files with no record older than this are leftovers of a crash between the file and its record. */
const ORPHAN_AGE_MS = 24 * 3_600_000;

/**
 * Exports on MongoDB: records in `exports`, bytes in GridFS, so every instance can serve any download (no local
 * disk) and a file is not bound by the 16 MB document limit. Reads skip expired records; the hourly
 * `purgeExpired` removes them and their files (GridFS files have no TTL of their own).
 */
export function createMongoExportsStore(db: Db): ExportsStore & { ensureIndexes(): Promise<void> } {
  const records = db.collection<Doc<ExportRecord>>(EXPORTS);
  const bucket = new GridFSBucket(db, { bucketName: BUCKET });
  const removeFiles = async (ids: string[]) => {
    for (const id of ids) await bucket.delete(id as never).catch(() => undefined);
  };

  /**
   * Files with no record, older than a day: what a crash between storing the file and its record left (SQLite sweeps
   * its exports directory the same way). Younger ones may be an export whose record is being written right now.
   */
  const orphanFiles = async (now: string) => {
    const cutoff = new Date(Date.parse(now) - ORPHAN_AGE_MS);
    const files = db.collection<{ _id: string; uploadDate: Date }>(`${BUCKET}.files`);
    const old = (await files.find({ uploadDate: { $lt: cutoff } }, { projection: { _id: 1 } }).toArray()).map((file) => file._id);
    if (old.length === 0) return [];
    const known = new Set((await records.find({ _id: { $in: old } }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id));
    return old.filter((id) => !known.has(id));
  };

  return {
    async ensureIndexes() {
      await records.createIndexes([
        { key: { userId: 1, bookId: 1, _id: -1 }, name: 'exports_book' },
        { key: { expiresAt: 1 }, name: 'exports_expiry' },
        // A purged book's exports are found by the book alone.
        { key: { bookId: 1 }, name: 'exports_book_only' },
      ]);
    },
    async create(record, content) {
      await new Promise<void>((resolve, reject) => {
        const upload = bucket.openUploadStreamWithId(record.id as never, record.filename, { metadata: { bookId: record.bookId, userId: record.userId } });
        Readable.from([content]).pipe(upload).on('finish', () => resolve()).on('error', reject);
      });
      await records.insertOne(toDoc(record));
    },
    async get(userId, bookId, exportId, now) {
      const doc = await records.findOne({ _id: exportId, userId, bookId, expiresAt: { $gt: now } });
      return doc ? fromDoc<ExportRecord>(doc) : null;
    },
    async listByBook(userId, bookId, limit, afterId, now) {
      const filter = { userId, bookId, expiresAt: { $gt: now }, ...(afterId ? { _id: { $lt: afterId } } : {}) };
      return (await records.find(filter).sort({ _id: -1 }).limit(limit).toArray()).map((doc) => fromDoc<ExportRecord>(doc));
    },
    async open(exportId) {
      const found = await db.collection(`${BUCKET}.files`).findOne({ _id: exportId as never });
      return found ? bucket.openDownloadStream(exportId as never) : null;
    },
    async purgeExpired(now) {
      const ids = (await records.find({ expiresAt: { $lte: now } }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
      await records.deleteMany({ _id: { $in: ids } });
      await removeFiles(ids);
      await removeFiles(await orphanFiles(now));
      return ids.length;
    },
    async deleteByBook(bookId) {
      const ids = (await records.find({ bookId }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
      await records.deleteMany({ bookId });
      await removeFiles(ids);
    },
  };
}
