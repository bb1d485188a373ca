import { describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import { addNoteWithinCap, replaceChapterNotes } from '../../../src/services/continuity-rules.js';
import type { ContinuityNoteRecord } from '../../../src/stores/engine-types.js';
import { OFFLINE } from './engine-fixtures.js';
import { givenBook, time, useStore, type StoreFactory } from './fixtures.js';

function noteRecord(bookId: string, overrides: Partial<ContinuityNoteRecord> = {}): ContinuityNoteRecord {
  return {
    id: newId('continuityNote'), bookId, kind: 'person', subject: 'María Ñúñez 🌍', detail: 'Runs the night shift.',
    source: { chapterId: 'ch_A', draftId: 'dr_A', answers: [{ questionId: 'q_A', answerVersion: 2 }] }, locked: false, editedAt: null,
    generatedBy: { ...OFFLINE }, version: 1, createdAt: time(0), updatedAt: time(0), ...overrides,
  };
}

export function continuityContract(open: StoreFactory): void {
  describe('continuity notes', () => {
    const store = useStore(open);

    it('stores notes per book, oldest first, within the cap, and updates them by compare-and-swap', async () => {
      const book = await givenBook(store());
      const first = noteRecord(book.id);
      const mine = noteRecord(book.id, { kind: 'promise', subject: 'A routine', source: { chapterId: null, draftId: null, answers: [] }, generatedBy: null, editedAt: time(1) });
      expect(await addNoteWithinCap(store(), first, 2)).toBe(true);
      expect(await addNoteWithinCap(store(), mine, 2)).toBe(true);
      expect(await addNoteWithinCap(store(), noteRecord(book.id), 2)).toBe(false);
      expect(await store().continuity.list(book.id)).toEqual([first, mine]);
      expect(await store().continuity.count(book.id)).toBe(2);
      expect(await store().continuity.get((await givenBook(store())).id, first.id)).toBeNull();

      const locked = await store().continuity.update(book.id, first.id, { locked: true, detail: 'Is 34.', editedAt: time(2) }, 1, time(2));
      expect(locked).toEqual({ ok: true, record: { ...first, locked: true, detail: 'Is 34.', editedAt: time(2), version: 2, updatedAt: time(2) } });
      const stale = await store().continuity.update(book.id, first.id, { detail: 'x' }, 1, time(3));
      expect(stale).toMatchObject({ ok: false, reason: 'conflict', current: { version: 2 } });
      expect(await store().continuity.update(book.id, 'cn_01ARZ3NDEKTSV4RRFFQ69G5FAV', { locked: true }, null, time(3))).toEqual({ ok: false, reason: 'missing' });
      expect(await store().continuity.remove(book.id, [mine.id, 'cn_01ARZ3NDEKTSV4RRFFQ69G5FAV'])).toBe(1);
      expect((await store().continuity.list(book.id)).map((n) => n.id)).toEqual([first.id]);
    });

    it("replaces a chapter's extracted notes, keeping the author's locked or edited ones and other chapters'", async () => {
      const book = await givenBook(store());
      const extracted = noteRecord(book.id, { subject: 'Old' });
      const locked = noteRecord(book.id, { subject: 'Locked', locked: true });
      const edited = noteRecord(book.id, { subject: 'Edited', editedAt: time(1) });
      const otherChapter = noteRecord(book.id, { subject: 'Elsewhere', source: { chapterId: 'ch_B', draftId: null, answers: [] } });
      for (const note of [extracted, locked, edited, otherChapter]) await addNoteWithinCap(store(), note, 10);
      const fresh = noteRecord(book.id, { subject: 'New' });
      const outcome = await replaceChapterNotes(store(), book.id, 'ch_A', (staying) => {
        expect(staying.map((n) => n.subject)).toEqual(['Locked', 'Edited', 'Elsewhere']);
        return [fresh];
      });
      expect(outcome).toEqual({ added: [fresh], removed: 1 });
      expect((await store().continuity.list(book.id)).map((n) => n.subject)).toEqual(['Locked', 'Edited', 'Elsewhere', 'New']);
    });
  });
}
