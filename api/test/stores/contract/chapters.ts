import { describe, expect, it } from 'vitest';
import type { ChapterRecord, Store } from '../../../src/stores/types.js';
import { byId, chapterRecord, givenBook, time, useStore, type StoreFactory } from './fixtures.js';
import { applyTocChanges, updateChapter } from '../../../src/services/toc-rules.js';

const unchecked = (at = time(1)) => ({ expectedTocVersion: null, maxPerBook: 200, at });

/** A book with `count` top-level chapters, created in one structure change (tocVersion 1 → 2). */
async function givenChapters(store: Store, count: number) {
  const book = await givenBook(store);
  const chapters = Array.from({ length: count }, (_, position) => chapterRecord(book.id, { position, title: `Chapter ${position + 1}` }));
  expect(await applyTocChanges(store, book.id, { creates: chapters, updates: [] }, unchecked())).toEqual({ ok: true, tocVersion: 2 });
  return { book, chapters };
}

export function chaptersContract(open: StoreFactory): void {
  describe('chapters', () => {
    const store = useStore(open);
    const tocVersion = async (book: { userId: string; id: string }) => (await store().books.get(book.userId, book.id))?.tocVersion;

    it('creates chapters in one structure change and bumps the book’s tocVersion', async () => {
      const { book, chapters } = await givenChapters(store(), 2);
      const section = chapterRecord(book.id, { parentId: chapters[0]!.id, position: 0, description: 'About', status: 'writing' });
      const result = await applyTocChanges(store(), book.id, { creates: [section], updates: [] }, { ...unchecked(time(5)), expectedTocVersion: 2 });
      expect(result).toEqual({ ok: true, tocVersion: 3 });
      const book2 = await store().books.get(book.userId, book.id);
      expect(book2).toMatchObject({ tocVersion: 3, updatedAt: time(5), version: book.version });
      expect(byId(await store().chapters.listByBook(book.id))).toEqual(byId([...chapters, section]));
      expect(await store().chapters.get(book.id, section.id)).toEqual(section);
    });

    it('reads a chapter of the user’s live book with the ownership check: null for no such chapter, no-book otherwise', async () => {
      const { book, chapters } = await givenChapters(store(), 1);
      const chapter = chapters[0]!;
      expect(await store().chapters.getOwned(book.userId, book.id, chapter.id)).toEqual(chapter);
      expect(await store().chapters.getOwned(book.userId, book.id, 'ch_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
      const stranger = await givenBook(store());
      expect(await store().chapters.getOwned(stranger.userId, book.id, chapter.id)).toBe('no-book');
      expect(await store().chapters.getOwned(book.userId, 'bk_01ARZ3NDEKTSV4RRFFQ69G5FAV', chapter.id)).toBe('no-book');

      // What it answers follows every write: a rename, a trash and a restore.
      expect((await updateChapter(store(), book.id, chapter.id, { title: 'Renamed' }, { expectedVersion: 1, bumpToc: true, at: time(2) })).ok).toBe(true);
      expect(await store().chapters.getOwned(book.userId, book.id, chapter.id)).toMatchObject({ title: 'Renamed', version: 2 });
      await store().books.setDeleted(book.userId, book.id, time(3), time(3));
      expect(await store().chapters.getOwned(book.userId, book.id, chapter.id)).toBe('no-book');
      await store().books.setDeleted(book.userId, book.id, null, time(4));
      expect(await store().chapters.getOwned(book.userId, book.id, chapter.id)).toMatchObject({ title: 'Renamed' });
    });

    it('scopes chapters to their book', async () => {
      const { chapters } = await givenChapters(store(), 1);
      const other = await givenBook(store());
      expect(await store().chapters.get(other.id, chapters[0]!.id)).toBeNull();
      expect(await store().chapters.listByBook(other.id)).toEqual([]);
      const result = await applyTocChanges(store(), other.id, { creates: [], updates: [{ id: chapters[0]!.id, patch: { title: 'Hijacked' } }] }, unchecked());
      expect(result.ok).toBe(true);
      expect(await store().chapters.get(chapters[0]!.bookId, chapters[0]!.id)).toEqual(chapters[0]);
    });

    it('updates chapters in a structure change: patch applied, version bumped, absent fields kept, archived ones still listed', async () => {
      const { book, chapters } = await givenChapters(store(), 3);
      const [a, b, c] = chapters as [ChapterRecord, ChapterRecord, ChapterRecord];
      const result = await applyTocChanges(store(), 
        book.id,
        {
          creates: [],
          updates: [
            { id: a.id, patch: { position: 1, title: undefined } },
            { id: b.id, patch: { position: 0, parentId: null } },
            { id: c.id, patch: { archivedAt: time(7) } },
          ],
        },
        { ...unchecked(time(7)), expectedTocVersion: 2 },
      );
      expect(result).toEqual({ ok: true, tocVersion: 3 });
      expect(byId(await store().chapters.listByBook(book.id))).toEqual(
        byId([
          { ...a, position: 1, version: 2, updatedAt: time(7) },
          { ...b, position: 0, version: 2, updatedAt: time(7) },
          { ...c, archivedAt: time(7), version: 2, updatedAt: time(7) },
        ]),
      );
    });

    it('bumps a chapter’s version on an update with an empty patch', async () => {
      const { book, chapters } = await givenChapters(store(), 1);
      const result = await applyTocChanges(store(), book.id, { creates: [], updates: [{ id: chapters[0]!.id, patch: {} }] }, unchecked(time(3)));
      expect(result).toEqual({ ok: true, tocVersion: 3 });
      expect(await store().chapters.get(book.id, chapters[0]!.id)).toEqual({ ...chapters[0], version: 2, updatedAt: time(3) });
    });

    it('refuses a stale expectedTocVersion and changes nothing', async () => {
      const { book, chapters } = await givenChapters(store(), 2);
      const before = await store().chapters.listByBook(book.id);
      const result = await applyTocChanges(store(), 
        book.id,
        { creates: [chapterRecord(book.id, { position: 2 })], updates: [{ id: chapters[0]!.id, patch: { title: 'Renamed' } }] },
        { ...unchecked(time(9)), expectedTocVersion: 1 },
      );
      expect(result).toEqual({ ok: false, reason: 'conflict', tocVersion: 2 });
      expect(await store().chapters.listByBook(book.id)).toEqual(before);
      expect(await tocVersion(book)).toBe(2);
    });

    it('lets exactly one of two concurrent changes with the same expectedTocVersion through', async () => {
      const { book } = await givenChapters(store(), 1);
      const change = () =>
        applyTocChanges(store(), book.id, { creates: [chapterRecord(book.id, { position: 1 })], updates: [] }, { ...unchecked(), expectedTocVersion: 2 });
      const results = await Promise.all([change(), change()]);
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, tocVersion: 3 }]);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict', tocVersion: 3 }]);
      expect(await store().chapters.listByBook(book.id)).toHaveLength(2);
    });

    it('refuses creates past maxPerBook (archived chapters count) and changes nothing', async () => {
      const { book, chapters } = await givenChapters(store(), 2);
      await applyTocChanges(store(), book.id, { creates: [], updates: [{ id: chapters[1]!.id, patch: { archivedAt: time(2) } }] }, unchecked());
      const before = await store().chapters.listByBook(book.id);
      const over = await applyTocChanges(store(), 
        book.id,
        { creates: [chapterRecord(book.id), chapterRecord(book.id)], updates: [{ id: chapters[0]!.id, patch: { title: 'Renamed' } }] },
        { ...unchecked(), maxPerBook: 3 },
      );
      expect(over).toEqual({ ok: false, reason: 'limit' });
      expect(await store().chapters.listByBook(book.id)).toEqual(before);
      expect(await tocVersion(book)).toBe(3);
      expect(await applyTocChanges(store(), book.id, { creates: [chapterRecord(book.id)], updates: [] }, { ...unchecked(), maxPerBook: 3 })).toEqual({
        ok: true, tocVersion: 4,
      });
      // Updates alone are never refused by the limit.
      expect((await applyTocChanges(store(), book.id, { creates: [], updates: [] }, { ...unchecked(), maxPerBook: 3 })).ok).toBe(true);
    });

    it('keeps concurrent creates within maxPerBook', async () => {
      const book = await givenBook(store());
      const results = await Promise.all(
        Array.from({ length: 6 }, () => applyTocChanges(store(), book.id, { creates: [chapterRecord(book.id)], updates: [] }, { ...unchecked(), maxPerBook: 4 })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(4);
      expect(await store().chapters.listByBook(book.id)).toHaveLength(4);
    });

    it('reports a missing book', async () => {
      const result = await applyTocChanges(store(), 'bk_01ARZ3NDEKTSV4RRFFQ69G5FAV', { creates: [], updates: [] }, unchecked());
      expect(result).toEqual({ ok: false, reason: 'missing' });
    });

    describe('update', () => {
      it('compares and swaps on the chapter’s version without touching the TOC unless asked', async () => {
        const { book, chapters } = await givenChapters(store(), 1);
        const chapter = chapters[0]!;
        const updated = await updateChapter(store(), book.id, chapter.id, { status: 'drafted', description: 'Now', title: undefined }, {
          expectedVersion: 1, bumpToc: false, at: time(20),
        });
        const expected = { ...chapter, status: 'drafted' as const, description: 'Now', version: 2, updatedAt: time(20) };
        expect(updated).toEqual({ ok: true, record: expected });
        expect(await tocVersion(book)).toBe(2);
        const stale = await updateChapter(store(), book.id, chapter.id, { title: 'Stale' }, { expectedVersion: 1, bumpToc: true, at: time(21) });
        expect(stale).toEqual({ ok: false, reason: 'conflict', current: expected });
        expect(await tocVersion(book)).toBe(2);
        const free = await updateChapter(store(), book.id, chapter.id, { description: null }, { expectedVersion: null, bumpToc: false, at: time(22) });
        expect(free.ok && free.record).toMatchObject({ description: null, version: 3 });
      });

      it('bumps the book’s tocVersion with `bumpToc` (a rename)', async () => {
        const { book, chapters } = await givenChapters(store(), 1);
        const renamed = await updateChapter(store(), book.id, chapters[0]!.id, { title: 'Renamed' }, { expectedVersion: 1, bumpToc: true, at: time(30) });
        expect(renamed.ok && renamed.record.title).toBe('Renamed');
        expect(await store().books.get(book.userId, book.id)).toMatchObject({ tocVersion: 3, updatedAt: time(30) });
      });

      it('reports a missing chapter, also one of another book', async () => {
        const { book, chapters } = await givenChapters(store(), 1);
        const other = await givenBook(store());
        const options = { expectedVersion: null, bumpToc: true, at: time(40) };
        expect(await updateChapter(store(), book.id, 'ch_01ARZ3NDEKTSV4RRFFQ69G5FAV', { title: 'x' }, options)).toEqual({ ok: false, reason: 'missing' });
        expect(await updateChapter(store(), other.id, chapters[0]!.id, { title: 'x' }, options)).toEqual({ ok: false, reason: 'missing' });
        expect(await tocVersion(other)).toBe(1);
        expect(await store().chapters.get(book.id, chapters[0]!.id)).toEqual(chapters[0]);
      });
    });
  });
}
