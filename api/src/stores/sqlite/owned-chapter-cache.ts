import { LRUCache } from 'lru-cache';
import type { ChapterRecord } from '../types.js';
import type { Db } from './helpers.js';

/** How long another process's write may go unseen (this process's own writes are seen at once). */
export const OTHER_WRITERS_STALE_MS = 50;
/** Chapters kept at most (about a kilobyte each), least recently read dropped first. */
const MAX_CHAPTERS = 20_000;

/** What a read of the owned-chapter query returned: the book's owner and liveness, and the chapter (null: none). */
export interface OwnedChapterRow {
  book: { userId: string; live: boolean };
  chapter: Readonly<ChapterRecord> | null;
}

/**
 * Owned-chapter reads kept in memory, so reading a chapter again (the panels' most frequent request) needs no SQLite
 * read transaction. Its one invalidation point is SQLite's own change counters, checked here rather than by every
 * write: any committed change by this process (`total_changes()`, checked on every lookup, at once) or by another
 * process on the same file (`PRAGMA data_version`, checked at most every `OTHER_WRITERS_STALE_MS`) empties the cache.
 * Emptying is a new generation, not `clear()`: lru-cache's clear walks all `maxChapters` slots, which under a stream
 * of writes cost every request more than the read it saves; rows of an older generation are misses, and the LRU
 * bound drops them in time. Rows are frozen: callers copy, never edit.
 */
export function createOwnedChapterCache(db: Db, { maxChapters = MAX_CHAPTERS, now = Date.now } = {}) {
  const rows = new LRUCache<string, { generation: number; row: OwnedChapterRow }>({ max: maxChapters });
  let generation = 0;
  const ownChanges = db.prepare('SELECT total_changes()').pluck();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenChanges = ownChanges.get() as number;
  let seenVersion = dataVersion.get() as number;
  let versionCheckedAt = now();

  function dropIfWritten() {
    const changes = ownChanges.get() as number;
    let written = changes !== seenChanges;
    seenChanges = changes;
    if (now() - versionCheckedAt >= OTHER_WRITERS_STALE_MS) {
      versionCheckedAt = now();
      const version = dataVersion.get() as number;
      written ||= version !== seenVersion;
      seenVersion = version;
    }
    if (written) generation++;
  }

  return {
    /** The cached row, or what `read` returns now (remembered; call nothing async in between). */
    get(bookId: string, chapterId: string, read: () => OwnedChapterRow | undefined): OwnedChapterRow | undefined {
      dropIfWritten();
      const key = `${bookId}/${chapterId}`;
      const cached = rows.get(key);
      if (cached?.generation === generation) return cached.row;
      const row = read();
      if (row) rows.set(key, { generation, row: Object.freeze({ book: Object.freeze(row.book), chapter: row.chapter && Object.freeze(row.chapter) }) });
      return row;
    },
    /** Chapters held now, current or not yet dropped (tests). */
    get size() {
      return rows.size;
    },
  };
}
