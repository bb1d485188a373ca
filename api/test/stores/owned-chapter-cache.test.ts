import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnedChapterCache, OTHER_WRITERS_STALE_MS } from '../../src/stores/sqlite/owned-chapter-cache.js';
import { openSqliteStore, SQLITE_FILE } from '../../src/stores/sqlite/sqlite-store.js';
import type { OwnedChapterRead } from '../../src/stores/owned-reads.js';
import type { ChaptersStore } from '../../src/stores/types.js';
import { bookRecord, chapterRecord, givenBook, time, userRecord, type FullStore } from './contract/fixtures.js';

const unchecked = { expectedTocVersion: null, maxPerBook: 200, at: time(1) };

let dir: string;
let store: FullStore;
/** Another connection to the same file: what a second server process would write through. */
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

const getOwned: OwnedChapterRead['getOwned'] = (...args) => (store.chapters as ChaptersStore & OwnedChapterRead).getOwned(...args);

async function givenChapter() {
  const book = await givenBook(store);
  const chapter = chapterRecord(book.id);
  await store.chapters.applyStructure(book.id, { creates: [chapter], updates: [] }, unchecked);
  return { book, chapter };
}

describe('SQLite owned-chapter reads (cached)', () => {
  it('see this process’s own writes at once: updates, structure changes, trash and restore', async () => {
    const { book, chapter } = await givenChapter();
    expect(await getOwned(book.userId, book.id, chapter.id)).toEqual(chapter);

    const updated = await store.chapters.update(book.id, chapter.id, { title: 'Renamed' }, { expectedVersion: 1, bumpToc: true, at: time(2) });
    expect(updated.ok).toBe(true);
    expect(await getOwned(book.userId, book.id, chapter.id)).toMatchObject({ title: 'Renamed', version: 2 });

    const added = chapterRecord(book.id, { position: 1 });
    expect(await getOwned(book.userId, book.id, added.id)).toBeNull();
    await store.chapters.applyStructure(book.id, { creates: [added], updates: [{ id: chapter.id, patch: { archivedAt: time(3) } }] }, unchecked);
    expect(await getOwned(book.userId, book.id, added.id)).toEqual(added);
    expect(await getOwned(book.userId, book.id, chapter.id)).toMatchObject({ archivedAt: time(3), version: 3 });

    await store.books.setDeleted(book.userId, book.id, time(4), time(4));
    expect(await getOwned(book.userId, book.id, added.id)).toBe('no-book');
    await store.books.setDeleted(book.userId, book.id, null, time(5));
    expect(await getOwned(book.userId, book.id, added.id)).toEqual(added);

    await store.books.setDeleted(book.userId, book.id, time(6), time(6));
    expect(await store.books.purgeDeletedBefore(time(7))).toContain(book.id);
    expect(await getOwned(book.userId, book.id, added.id)).toBe('no-book');
  });

  it('never answer another user, even from a cached entry', async () => {
    const { book, chapter } = await givenChapter();
    const stranger = userRecord();
    await store.users.create(stranger);
    expect(await getOwned(book.userId, book.id, chapter.id)).toEqual(chapter);
    expect(await getOwned(stranger.id, book.id, chapter.id)).toBe('no-book');
    expect(await getOwned(stranger.id, book.id, 'ch_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('no-book');
  });

  it('hand out frozen rows, so a caller cannot change what the next request reads', async () => {
    const { book, chapter } = await givenChapter();
    const read = await getOwned(book.userId, book.id, chapter.id);
    expect(Object.isFrozen(read)).toBe(true);
    expect(() => Object.assign(read as object, { title: 'Changed in memory' })).toThrow(TypeError);
  });

  it(`see another process’s writes within ${OTHER_WRITERS_STALE_MS} ms (SQLite's data_version)`, async () => {
    const { book, chapter } = await givenChapter();
    expect(await getOwned(book.userId, book.id, chapter.id)).toEqual(chapter);
    other.prepare('UPDATE chapters SET title = ?, version = version + 1 WHERE id = ?').run('Written elsewhere', chapter.id);
    await new Promise((resolve) => setTimeout(resolve, OTHER_WRITERS_STALE_MS + 10));
    expect(await getOwned(book.userId, book.id, chapter.id)).toMatchObject({ title: 'Written elsewhere', version: 2 });

    other.prepare('UPDATE books SET deletedAt = ? WHERE id = ?').run(time(9), book.id);
    await new Promise((resolve) => setTimeout(resolve, OTHER_WRITERS_STALE_MS + 10));
    expect(await getOwned(book.userId, book.id, chapter.id)).toBe('no-book');
  });
});

describe('the owned-chapter cache', () => {
  it('stays within its bound by dropping the oldest books', () => {
    const db = new Database(':memory:');
    try {
      const cache = createOwnedChapterCache(db, { maxChapters: 5 });
      const owner = { userId: 'us_1', live: true };
      for (let book = 0; book < 4; book++) {
        for (let chapter = 0; chapter < 2; chapter++) {
          cache.remember(`bk_${book}`, owner, `ch_${book}_${chapter}`, chapterRecord(`bk_${book}`, { id: `ch_${book}_${chapter}` }));
        }
      }
      expect(cache.size).toBeLessThanOrEqual(5);
      expect(cache.lookup('bk_0', 'ch_0_0')).toBeUndefined();
      expect(cache.lookup('bk_3', 'ch_3_1')?.chapter).toMatchObject({ id: 'ch_3_1' });
    } finally {
      db.close();
    }
  });

  it('keeps a book it is filling even when that book alone passes the bound', () => {
    const db = new Database(':memory:');
    try {
      const cache = createOwnedChapterCache(db, { maxChapters: 2 });
      const book = bookRecord('us_1');
      for (let i = 0; i < 4; i++) cache.remember(book.id, { userId: 'us_1', live: true }, `ch_${i}`, null);
      expect(cache.lookup(book.id, 'ch_3')).toEqual({ userId: 'us_1', live: true, chapter: null });
    } finally {
      db.close();
    }
  });
});
