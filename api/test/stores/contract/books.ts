import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/stores/types.js';
import { bookRecord, chapterRecord, givenBook, givenUser, time, unique, useStore, type StoreFactory } from './fixtures.js';
import { createBookWithinCap, saveSummary } from '../../../src/services/book-rules.js';
import { applyTocChanges } from '../../../src/services/toc-rules.js';

export function booksContract(open: StoreFactory): void {
  describe('books', () => {
    const store = useStore(open);

    it('stores a book and reads it back only for its owner', async () => {
      const owner = await givenUser(store());
      const stranger = await givenUser(store());
      const book = await givenBook(store(), owner.id, { title: 'Été 🌍', targetWords: 80_000, documentId: 'doc-1', tabId: 't.1' });
      expect(await store().books.get(owner.id, book.id)).toEqual(book);
      expect(await store().books.get(stranger.id, book.id)).toBeNull();
      expect(await store().books.get(owner.id, 'bk_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
    });

    it('refuses a book past the per-user cap, trashed books included', async () => {
      const user = await givenUser(store());
      expect(await createBookWithinCap(store(), bookRecord(user.id), 2)).toBe(true);
      const second = bookRecord(user.id);
      expect(await createBookWithinCap(store(), second, 2)).toBe(true);
      expect(await createBookWithinCap(store(), bookRecord(user.id), 2)).toBe(false);
      await store().books.setDeleted(user.id, second.id, time(1), time(1));
      expect(await createBookWithinCap(store(), bookRecord(user.id), 2)).toBe(false);
      // The cap is per user.
      expect(await createBookWithinCap(store(), bookRecord((await givenUser(store())).id), 2)).toBe(true);
    });

    it('applies the cap atomically to concurrent creates', async () => {
      const user = await givenUser(store());
      const results = await Promise.all(Array.from({ length: 8 }, () => createBookWithinCap(store(), bookRecord(user.id), 3)));
      expect(results.filter(Boolean)).toHaveLength(3);
      expect(await store().books.list(user.id, { limit: 20, beforeId: null, documentId: null, trash: false })).toHaveLength(3);
    });

    it('lists the user’s live books newest first, paged with beforeId', async () => {
      const user = await givenUser(store());
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await givenBook(store(), user.id, { title: `Book ${i}` })).id);
      await givenBook(store());
      const newestFirst = [...ids].reverse();
      const page1 = await store().books.list(user.id, { limit: 2, beforeId: null, documentId: null, trash: false });
      expect(page1.map((b) => b.id)).toEqual(newestFirst.slice(0, 2));
      const page2 = await store().books.list(user.id, { limit: 2, beforeId: page1[1]!.id, documentId: null, trash: false });
      const page3 = await store().books.list(user.id, { limit: 2, beforeId: page2[1]!.id, documentId: null, trash: false });
      expect([...page2, ...page3].map((b) => b.id)).toEqual(newestFirst.slice(2));
      expect(page1[0]).toEqual(await store().books.get(user.id, ids[4]!));
    });

    it('filters by documentId and separates the trash from live books', async () => {
      const user = await givenUser(store());
      const documentId = `doc-${unique()}`;
      const linked = await givenBook(store(), user.id, { documentId });
      const trashedLinked = await givenBook(store(), user.id, { documentId });
      const plain = await givenBook(store(), user.id);
      await store().books.setDeleted(user.id, trashedLinked.id, time(9), time(9));
      const query = { limit: 10, beforeId: null };
      expect((await store().books.list(user.id, { ...query, documentId, trash: false })).map((b) => b.id)).toEqual([linked.id]);
      expect((await store().books.list(user.id, { ...query, documentId: null, trash: false })).map((b) => b.id)).toEqual([plain.id, linked.id]);
      expect((await store().books.list(user.id, { ...query, documentId: null, trash: true })).map((b) => b.id)).toEqual([trashedLinked.id]);
      expect((await store().books.list(user.id, { ...query, documentId, trash: true })).map((b) => b.id)).toEqual([trashedLinked.id]);
      expect(await store().books.list(user.id, { ...query, documentId: `doc-${unique()}`, trash: false })).toEqual([]);
    });

    it('updates with a compare-and-swap: conflict returns the current book, absent fields stay', async () => {
      const book = await givenBook(store(), undefined, { subtitle: 'Sub' });
      const updated = await store().books.update(book.userId, book.id, { title: 'New', genre: 'essay', subtitle: undefined }, 1, time(30));
      const expected = { ...book, title: 'New', genre: 'essay', version: 2, updatedAt: time(30) };
      expect(updated).toEqual({ ok: true, record: expected });
      expect(await store().books.update(book.userId, book.id, { title: 'Stale' }, 1, time(31))).toEqual({ ok: false, reason: 'conflict', current: expected });
      const cleared = await store().books.update(book.userId, book.id, { subtitle: null }, null, time(32));
      expect(cleared.ok && cleared.record).toMatchObject({ title: 'New', subtitle: null, version: 3 });
    });

    it('reports missing for an unknown book, another user’s book or a trashed one, and changes none of them', async () => {
      const book = await givenBook(store());
      const stranger = await givenUser(store());
      expect(await store().books.update(book.userId, 'bk_01ARZ3NDEKTSV4RRFFQ69G5FAV', { title: 'x' }, null, time(1))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().books.update(stranger.id, book.id, { title: 'x' }, null, time(1))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().books.get(book.userId, book.id)).toEqual(book);

      const trashed = await store().books.setDeleted(book.userId, book.id, time(2), time(2));
      expect(await store().books.update(book.userId, book.id, { title: 'x' }, null, time(3))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().books.update(book.userId, book.id, { title: 'x' }, trashed!.version, time(3))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().books.get(book.userId, book.id, true)).toEqual(trashed);
    });

    it('moves a book to the trash and restores it, each once, bumping its version', async () => {
      const book = await givenBook(store());
      const stranger = await givenUser(store());
      expect(await store().books.setDeleted(stranger.id, book.id, time(5), time(5))).toBeNull();
      expect(await store().books.setDeleted(book.userId, book.id, null, time(5))).toBeNull();

      const trashed = await store().books.setDeleted(book.userId, book.id, time(6), time(7));
      expect(trashed).toEqual({ ...book, deletedAt: time(6), updatedAt: time(7), version: 2 });
      expect(await store().books.get(book.userId, book.id)).toBeNull();
      expect(await store().books.get(book.userId, book.id, true)).toEqual(trashed);
      expect(await store().books.setDeleted(book.userId, book.id, time(8), time(8))).toBeNull();

      const restored = await store().books.setDeleted(book.userId, book.id, null, time(9));
      expect(restored).toEqual({ ...book, deletedAt: null, updatedAt: time(9), version: 3 });
      expect(await store().books.get(book.userId, book.id)).toEqual(restored);
      expect(await store().books.setDeleted(book.userId, book.id, null, time(10))).toBeNull();
    });

    it('purges books trashed before the cutoff with their chapters and summary history, and nothing else', async () => {
      const user = await givenUser(store());
      const old = await givenBook(store(), user.id);
      const recent = await givenBook(store(), user.id);
      const live = await givenBook(store(), user.id);
      for (const book of [old, recent, live]) {
        await saveSummary(store(), user.id, book.id, { summary: `About ${book.id}`, words: 2, expectedVersion: null, at: time(1, 2019), keep: 5 });
        const created = await applyTocChanges(store(), book.id, { creates: [chapterRecord(book.id)], updates: [] }, { expectedTocVersion: null, maxPerBook: 10, at: time(1, 2019) });
        expect(created.ok).toBe(true);
      }
      await store().books.setDeleted(user.id, old.id, time(0, 2020), time(0, 2020));
      await store().books.setDeleted(user.id, recent.id, time(0, 2021), time(0, 2021));

      const cutoff = time(3600, 2020);
      const purged = await store().books.purgeDeletedBefore(cutoff);
      expect(purged).toContain(old.id);
      expect(purged).not.toContain(recent.id);
      expect(purged).not.toContain(live.id);
      expect(await store().books.get(user.id, old.id, true)).toBeNull();
      expect(await store().chapters.listByBook(old.id)).toEqual([]);
      expect(await store().books.summaryHistory(old.id, 10)).toEqual([]);
      for (const book of [recent, live]) {
        expect(await store().books.get(user.id, book.id, true)).not.toBeNull();
        expect(await store().chapters.listByBook(book.id)).toHaveLength(1);
        expect(await store().books.summaryHistory(book.id, 10)).toHaveLength(1);
      }
      expect(await store().books.purgeDeletedBefore(cutoff)).not.toContain(old.id);
    });

    summaryContract(store);
  });
}

function summaryContract(store: () => Store): void {
  describe('summary', () => {
    it('saves a new summary version with a history row; the book’s own version is untouched', async () => {
      const book = await givenBook(store());
      const result = await saveSummary(store(), book.userId, book.id, { summary: 'First', words: 1, expectedVersion: 1, at: time(10), keep: 5 });
      expect(result).toEqual({ ok: true, record: { ...book, summary: 'First', summaryVersion: 2, summaryUpdatedAt: time(10) } });
      expect(await store().books.get(book.userId, book.id)).toEqual({ ...book, summary: 'First', summaryVersion: 2, summaryUpdatedAt: time(10) });
      expect(await store().books.summaryHistory(book.id, 10)).toEqual([{ bookId: book.id, version: 2, summary: 'First', words: 1, createdAt: time(10) }]);
    });

    it('treats the same text as a no-op: no new version, no history row', async () => {
      const book = await givenBook(store());
      const first = await saveSummary(store(), book.userId, book.id, { summary: 'Same', words: 1, expectedVersion: null, at: time(1), keep: 5 });
      const again = await saveSummary(store(), book.userId, book.id, { summary: 'Same', words: 1, expectedVersion: 2, at: time(2), keep: 5 });
      expect(again).toEqual(first);
      expect(again.ok && again.record).toMatchObject({ summaryVersion: 2, summaryUpdatedAt: time(1) });
      expect(await store().books.summaryHistory(book.id, 10)).toHaveLength(1);
    });

    it('answers a stale version with a conflict and the current book, writing nothing', async () => {
      const book = await givenBook(store());
      await saveSummary(store(), book.userId, book.id, { summary: 'One', words: 1, expectedVersion: 1, at: time(1), keep: 5 });
      const stale = await saveSummary(store(), book.userId, book.id, { summary: 'Two', words: 1, expectedVersion: 1, at: time(2), keep: 5 });
      expect(stale).toEqual({ ok: false, reason: 'conflict', current: await store().books.get(book.userId, book.id) });
      expect(stale.ok === false && stale.reason === 'conflict' && stale.current.summary).toBe('One');
      expect((await store().books.summaryHistory(book.id, 10)).map((v) => v.summary)).toEqual(['One']);
      const unchecked = await saveSummary(store(), book.userId, book.id, { summary: 'Two', words: 1, expectedVersion: null, at: time(3), keep: 5 });
      expect(unchecked.ok && unchecked.record.summaryVersion).toBe(3);
    });

    it('keeps only the newest `keep` history rows and returns history newest first, limited', async () => {
      const book = await givenBook(store());
      for (let i = 1; i <= 6; i++) {
        const result = await saveSummary(store(), book.userId, book.id, { summary: `Text ${i}`, words: 2, expectedVersion: i, at: time(i), keep: 3 });
        expect(result.ok).toBe(true);
      }
      const history = await store().books.summaryHistory(book.id, 10);
      expect(history.map((v) => [v.version, v.summary])).toEqual([[7, 'Text 6'], [6, 'Text 5'], [5, 'Text 4']]);
      expect((await store().books.summaryHistory(book.id, 2)).map((v) => v.version)).toEqual([7, 6]);
    });

    it('reports missing for an unknown, another user’s or a trashed book', async () => {
      const book = await givenBook(store());
      const stranger = await givenUser(store());
      const entry = { summary: 'x', words: 1, expectedVersion: null, at: time(1), keep: 5 };
      expect(await saveSummary(store(), book.userId, 'bk_01ARZ3NDEKTSV4RRFFQ69G5FAV', entry)).toEqual({ ok: false, reason: 'missing' });
      expect(await saveSummary(store(), stranger.id, book.id, entry)).toEqual({ ok: false, reason: 'missing' });
      await store().books.setDeleted(book.userId, book.id, time(2), time(2));
      expect(await saveSummary(store(), book.userId, book.id, entry)).toEqual({ ok: false, reason: 'missing' });
      expect(await store().books.summaryHistory(book.id, 10)).toEqual([]);
    });
  });
}
