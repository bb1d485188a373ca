import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnedChapterCache, OTHER_WRITERS_STALE_MS } from '../../src/stores/sqlite/owned-chapter-cache.js';
import { openSqliteStore, SQLITE_FILE } from '../../src/stores/sqlite/sqlite-store.js';
import { chapterRecord, givenBook, time } from './contract/fixtures.js';
import { applyTocChanges } from '../../src/services/toc-rules.js';
import type { Store } from '../../src/stores/types.js';

const unchecked = { expectedTocVersion: null, maxPerBook: 200, at: time(1) };

let dir: string;
let store: Store;
/** Another connection to the same file: what a second server process (or a script) would write through. */
let other: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'aa-owned-cache-'));
  store = openSqliteStore(dir);
  other = new Database(path.join(dir, SQLITE_FILE));
});
afterAll(async () => {
  other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function givenChapter() {
  const book = await givenBook(store);
  const chapter = chapterRecord(book.id);
  await applyTocChanges(store, book.id, { creates: [chapter], updates: [] }, unchecked);
  return { book, chapter };
}

// The store contract (both stores) covers what getOwned answers after this process's own writes.
describe('SQLite owned-chapter reads, kept in memory', () => {
  it('hand out frozen rows, so a caller cannot change what the next request reads', async () => {
    const { book, chapter } = await givenChapter();
    await store.chapters.getOwned(book.userId, book.id, chapter.id);
    const read = await store.chapters.getOwned(book.userId, book.id, chapter.id);
    expect(Object.isFrozen(read)).toBe(true);
    expect(() => Object.assign(read as object, { title: 'Changed in memory' })).toThrow(TypeError);
  });

  it(`see another process’s writes within ${OTHER_WRITERS_STALE_MS} ms (SQLite's data_version)`, async () => {
    const { book, chapter } = await givenChapter();
    expect(await store.chapters.getOwned(book.userId, book.id, chapter.id)).toEqual(chapter);
    other.prepare('UPDATE chapters SET title = ?, version = version + 1 WHERE id = ?').run('Written elsewhere', chapter.id);
    await new Promise((resolve) => setTimeout(resolve, OTHER_WRITERS_STALE_MS + 10));
    expect(await store.chapters.getOwned(book.userId, book.id, chapter.id)).toMatchObject({ title: 'Written elsewhere', version: 2 });

    other.prepare('UPDATE books SET deletedAt = ? WHERE id = ?').run(time(9), book.id);
    await new Promise((resolve) => setTimeout(resolve, OTHER_WRITERS_STALE_MS + 10));
    expect(await store.chapters.getOwned(book.userId, book.id, chapter.id)).toBe('no-book');
  });
});

describe('the owned-chapter cache', () => {
  it('answers from memory until this connection writes anything, then reads again', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (x)');
      const cache = createOwnedChapterCache(db);
      let reads = 0;
      const read = () => {
        reads++;
        return { book: { userId: 'usr_1', live: true }, chapter: null };
      };
      cache.get('bk_1', 'ch_1', read);
      cache.get('bk_1', 'ch_1', read);
      expect(reads).toBe(1);
      db.prepare('INSERT INTO t VALUES (1)').run();
      cache.get('bk_1', 'ch_1', read);
      expect(reads).toBe(2);
    } finally {
      db.close();
    }
  });

  it('stays within its bound, dropping the least recently read', () => {
    const db = new Database(':memory:');
    try {
      const cache = createOwnedChapterCache(db, { maxChapters: 5 });
      for (let i = 0; i < 8; i++) cache.get('bk_1', `ch_${i}`, () => ({ book: { userId: 'usr_1', live: true }, chapter: null }));
      expect(cache.size).toBe(5);
    } finally {
      db.close();
    }
  });
});
