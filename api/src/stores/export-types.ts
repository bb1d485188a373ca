import type { Readable } from 'node:stream';
import type { ExportFormat, SkippedChapterSchema } from '../../../shared/schemas/exports.js';
import type { z } from 'zod';

/** An exported file's record; the bytes are kept beside it (a file under DATA_DIR, or GridFS on MongoDB). */
export interface ExportRecord {
  id: string;
  userId: string;
  bookId: string;
  jobId: string;
  format: ExportFormat;
  filename: string;
  mediaType: string;
  bytes: number;
  chapters: number;
  skipped: Array<z.infer<typeof SkippedChapterSchema>>;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ExportsStore {
  /** Stores the file, then its record, so a record never points at nothing. */
  create(record: ExportRecord, content: Buffer): Promise<void>;
  /** The user's export of that book, unless it expired. */
  get(userId: string, bookId: string, exportId: string, now: string): Promise<ExportRecord | null>;
  /** The user's unexpired exports of a book, newest first, after the cursor id. */
  listByBook(userId: string, bookId: string, limit: number, afterId: string | null, now: string): Promise<ExportRecord[]>;
  /** The file's bytes, or null when it is gone. */
  open(exportId: string): Promise<Readable | null>;
  /** Deletes expired exports (record and file); returns how many. */
  purgeExpired(now: string): Promise<number>;
  /** Deletes every export of a book (when the book is purged). */
  deleteByBook(bookId: string): Promise<void>;
}
