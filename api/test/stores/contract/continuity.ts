import { describe, expect, it } from 'vitest';
import { addNoteWithinCap, deleteNote, editNote, noteKey, replaceChapterNotes, restorableNotes, restoreNote } from '../../../src/services/continuity-rules.js';
import { noteRecord } from './engine-fixtures.js';
import type { ContinuityNoteRecord } from '../../../src/stores/engine-types.js';
import { givenBook, time, useStore, type StoreFactory } from './fixtures.js';

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
      // A repeat of a staying subject (compared loosely) and a repeat among the new ones are not made.
      const repeats = [noteRecord(book.id, { subject: 'locked!' }), noteRecord(book.id, { subject: ' new ' })];
      const outcome = await replaceChapterNotes(store(), book.id, 'ch_A', [fresh, ...repeats]);
      expect(outcome).toEqual({ added: [fresh], removed: 1 });
      expect((await store().continuity.list(book.id)).map((n) => n.subject)).toEqual(['Locked', 'Edited', 'Elsewhere', 'New']);
      const capped = await replaceChapterNotes(store(), book.id, 'ch_A', [noteRecord(book.id, { subject: 'One' }), noteRecord(book.id, { subject: 'Two' })], 4);
      expect(capped.added.map((n) => n.subject)).toEqual(['One']);
    });

    it('remembers the deletions of a book, one per subject key, oldest first, and forgets them by key', async () => {
      const book = await givenBook(store());
      const other = await givenBook(store());
      const whole = noteRecord(book.id, { subject: 'harbour clinic', locked: true, source: { chapterId: 'ch_A', draftId: 'dr_A', answers: [{ questionId: 'q_1', answerVersion: 2 }] } });
      const deletion = (bookId: string, subject: string, at: number, note: ContinuityNoteRecord | null = null) => ({ bookId, subjectKey: noteKey(subject), subject, deletedAt: time(at), note });
      await store().continuity.rememberDeletions([deletion(book.id, 'María Ñúñez 🌍', 2), deletion(book.id, 'Harbour Clinic', 1), deletion(other.id, 'Elsewhere', 1)]);
      // The same subject key again replaces the subject, the time and the note kept whole.
      await store().continuity.rememberDeletions([deletion(book.id, 'harbour clinic', 3, whole)]);
      expect(await store().continuity.listDeletions(book.id)).toEqual([deletion(book.id, 'María Ñúñez 🌍', 2), deletion(book.id, 'harbour clinic', 3, whole)]);
      expect(await store().continuity.forgetDeletions(book.id, [noteKey('Harbour Clinic'), noteKey('Elsewhere')])).toBe(1);
      expect((await store().continuity.listDeletions(book.id)).map((d) => d.subject)).toEqual(['María Ñúñez 🌍']);
      expect(await store().continuity.listDeletions(other.id)).toHaveLength(1);
    });

    it('a deleted note never comes back from an extraction, though the author may add it again; the oldest deletions go past the bound', async () => {
      const book = await givenBook(store());
      const [maria, harbour, nurses] = ['Maria Lopez', 'Harbour Clinic', '12 nurses'].map((subject) => noteRecord(book.id, { subject }));
      for (const note of [maria!, harbour!, nurses!]) await addNoteWithinCap(store(), note, 10);
      expect(await deleteNote(store(), book.id, harbour!.id, time(1), 2)).toBe(true);
      expect(await deleteNote(store(), book.id, harbour!.id, time(2), 2)).toBe(false);
      expect((await store().continuity.listDeletions(book.id)).map((d) => d.subject)).toEqual(['Harbour Clinic']);

      // Extracted again (differently cased): the deleted subject is left out, the others are made anew.
      const again = ['HARBOUR CLINIC', 'Maria Lopez', 'Night shift'].map((subject) => noteRecord(book.id, { subject }));
      const outcome = await replaceChapterNotes(store(), book.id, 'ch_A', again);
      expect(outcome.added.map((n) => n.subject)).toEqual(['Maria Lopez', 'Night shift']);
      expect(outcome.removed).toBe(2);

      // The author's own add is not refused, and forgets the deletion: their latest word wins.
      const mine = noteRecord(book.id, { subject: 'Harbour clinic', editedAt: time(3), generatedBy: null, source: { chapterId: null, draftId: null, answers: [] } });
      expect(await addNoteWithinCap(store(), mine, 10)).toBe(true);
      expect(await store().continuity.listDeletions(book.id)).toEqual([]);

      // Past the bound (2 here) the oldest deletion is forgotten.
      const [lopez, shift] = outcome.added;
      expect(await deleteNote(store(), book.id, mine.id, time(4), 2)).toBe(true);
      expect(await deleteNote(store(), book.id, lopez!.id, time(5), 2)).toBe(true);
      expect(await deleteNote(store(), book.id, shift!.id, time(6), 2)).toBe(true);
      expect((await store().continuity.listDeletions(book.id)).map((d) => d.subject)).toEqual(['Maria Lopez', 'Night shift']);
    });

    it('restores a deleted note as it was, one version on, within the cap; a renamed subject is not restorable', async () => {
      const book = await givenBook(store());
      const [maria, harbour] = ['Maria Lopez', 'Harbour Clinic'].map((subject) => noteRecord(book.id, { subject, locked: subject === 'Maria Lopez' }));
      for (const note of [maria!, harbour!]) await addNoteWithinCap(store(), note, 10);
      await deleteNote(store(), book.id, maria!.id, time(1));
      await editNote(store(), book.id, harbour!.id, { subject: 'The clinic', editedAt: time(2) }, null, time(2));
      expect(await restorableNotes(store(), book.id)).toEqual([{ note: maria, deletedAt: time(1) }]);
      expect(await restoreNote(store(), book.id, harbour!.id, time(3))).toEqual({ ok: false, reason: 'missing' });
      expect(await restoreNote(store(), book.id, maria!.id, time(3), 1)).toEqual({ ok: false, reason: 'full' });

      const restored = { ...maria!, version: 2, updatedAt: time(3) };
      expect(await restoreNote(store(), book.id, maria!.id, time(3))).toEqual({ ok: true, note: restored });
      expect(await store().continuity.get(book.id, maria!.id)).toEqual(restored);
      expect(await restorableNotes(store(), book.id)).toEqual([]);
      expect(await restoreNote(store(), book.id, maria!.id, time(4))).toEqual({ ok: false, reason: 'missing' });
      // Its subject may be extracted again; the renamed one's old subject stays away.
      const outcome = await replaceChapterNotes(store(), book.id, 'ch_B', ['maria lopez', 'harbour clinic', 'Night shift'].map((subject) => noteRecord(book.id, { subject })));
      expect(outcome.added.map((n) => n.subject)).toEqual(['Night shift']);
    });
  });
}
