import { describe, expect, it } from 'vitest';
import { draftRecord, proposalRecord } from './engine-fixtures.js';
import { givenBook, time, useStore, type StoreFactory } from './fixtures.js';
import { acceptDraft, addDraft } from '../../../src/services/draft-rules.js';

export function proposalsContract(open: StoreFactory): void {
  describe('proposals', () => {
    const store = useStore(open);

    it('stores a proposal, reads it back within its book, and marks it applied', async () => {
      const book = await givenBook(store());
      const proposal = proposalRecord(book.id, { basedOnTocVersion: 4 });
      const other = proposalRecord(book.id);
      await store().proposals.create(proposal);
      await store().proposals.create(other);
      expect(await store().proposals.get(book.id, proposal.id)).toEqual(proposal);
      expect(await store().proposals.get((await givenBook(store())).id, proposal.id)).toBeNull();
      expect(await store().proposals.get(book.id, 'prop_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();

      await store().proposals.markApplied(proposal.id);
      expect(await store().proposals.get(book.id, proposal.id)).toEqual({ ...proposal, status: 'applied' });
      expect(await store().proposals.get(book.id, other.id)).toEqual(other);
    });
  });
}

export function draftsContract(open: StoreFactory): void {
  describe('drafts', () => {
    const store = useStore(open);

    it('stores drafts and lists them newest first, paged with beforeId, counted and scoped to their chapter', async () => {
      const book = await givenBook(store());
      // Chapter ids are per book here: drafts are looked up by chapter alone.
      const chapterId = `ch_${book.id}`;
      const drafts = Array.from({ length: 5 }, (_, i) => draftRecord(book.id, chapterId, { number: i + 1, createdAt: time(i) }));
      for (const draft of drafts) await addDraft(store(), draft, 50);
      const newestFirst = [...drafts].reverse();
      expect(await store().drafts.get(chapterId, drafts[0]!.id)).toEqual(drafts[0]);
      expect(await store().drafts.get(`${chapterId}_other`, drafts[0]!.id)).toBeNull();
      const page1 = await store().drafts.list(chapterId, 2, null);
      expect(page1).toEqual(newestFirst.slice(0, 2));
      const page2 = await store().drafts.list(chapterId, 2, page1[1]!.id);
      const page3 = await store().drafts.list(chapterId, 2, page2[1]!.id);
      expect([...page2, ...page3]).toEqual(newestFirst.slice(2));
      expect(await store().drafts.list(chapterId, 2, page3[0]!.id)).toEqual([]);
      expect(await store().drafts.count(chapterId)).toBe(5);
      expect(await store().drafts.list(`${chapterId}_other`, 5, null)).toEqual([]);
      expect(await store().drafts.count(`${chapterId}_other`)).toBe(0);
    });

    it('keeps a version made from another exactly: what it was based on, how it changed, the blocks the author wrote', async () => {
      const book = await givenBook(store());
      const chapterId = `ch_${book.id}`;
      const first = draftRecord(book.id, chapterId);
      const edited = draftRecord(book.id, chapterId, {
        number: 2, basedOnDraftId: first.id, change: { kind: 'edit', instruction: null, blockIds: ['B2'] },
        blocks: [
          { type: 'heading', level: 2, text: 'Été 🌍' },
          { type: 'paragraph', text: 'My own words.', sources: [{ questionId: 'q_01ARZ3NDEKTSV4RRFFQ69G5FAV', answerVersion: 2 }], unsupported: false, authored: true },
        ],
      });
      await addDraft(store(), first, 50);
      await addDraft(store(), edited, 50);
      expect(await store().drafts.get(chapterId, first.id)).toEqual(first);
      expect(await store().drafts.get(chapterId, edited.id)).toEqual(edited);
    });

    it('prunes the oldest drafts beyond `keep`, never the accepted one', async () => {
      const book = await givenBook(store());
      const chapterId = `ch_${book.id}`;
      const drafts = Array.from({ length: 6 }, (_, i) => draftRecord(book.id, chapterId, { number: i + 1 }));
      await addDraft(store(), drafts[0]!, 3);
      await addDraft(store(), drafts[1]!, 3);
      expect(await acceptDraft(store(), chapterId, drafts[0]!.id, time(5))).toEqual({ ...drafts[0], acceptedAt: time(5) });
      for (const draft of drafts.slice(2)) await addDraft(store(), draft, 3);
      const kept = await store().drafts.list(chapterId, 10, null);
      expect(kept.map((d) => d.number)).toEqual([6, 5, 4, 1]);
      expect(await store().drafts.count(chapterId)).toBe(4);
      expect(await store().drafts.get(chapterId, drafts[1]!.id)).toBeNull();
    });

    it('accepts one draft per chapter: accepting another clears the first', async () => {
      const book = await givenBook(store());
      const chapterId = `ch_${book.id}`;
      const [a, b] = [draftRecord(book.id, chapterId), draftRecord(book.id, chapterId, { number: 2 })];
      await addDraft(store(), a, 50);
      await addDraft(store(), b, 50);
      expect(await store().drafts.accepted(chapterId)).toBeNull();
      await acceptDraft(store(), chapterId, a.id, time(1));
      expect(await store().drafts.accepted(chapterId)).toEqual({ ...a, acceptedAt: time(1) });
      expect(await acceptDraft(store(), chapterId, b.id, time(2))).toEqual({ ...b, acceptedAt: time(2) });
      expect(await store().drafts.accepted(chapterId)).toEqual({ ...b, acceptedAt: time(2) });
      expect(await store().drafts.get(chapterId, a.id)).toEqual(a);

      // An unknown draft, or one of another chapter, is not accepted and changes nothing.
      const elsewhere = draftRecord(book.id, `${chapterId}_other`);
      await addDraft(store(), elsewhere, 50);
      expect(await acceptDraft(store(), chapterId, elsewhere.id, time(3))).toBeNull();
      expect(await acceptDraft(store(), chapterId, 'dr_01ARZ3NDEKTSV4RRFFQ69G5FAV', time(3))).toBeNull();
      expect(await store().drafts.accepted(chapterId)).toEqual({ ...b, acceptedAt: time(2) });
      expect(await store().drafts.accepted(elsewhere.chapterId)).toBeNull();
    });

    it('leaves exactly one draft accepted after concurrent accepts', async () => {
      const book = await givenBook(store());
      const chapterId = `ch_${book.id}`;
      const drafts = Array.from({ length: 5 }, (_, i) => draftRecord(book.id, chapterId, { number: i + 1 }));
      for (const draft of drafts) await addDraft(store(), draft, 50);
      const results = await Promise.all(drafts.map((draft, i) => acceptDraft(store(), chapterId, draft.id, time(10 + i))));
      expect(results.every((result) => result !== null)).toBe(true);
      const listed = await store().drafts.list(chapterId, 10, null);
      expect(listed.filter((draft) => draft.acceptedAt !== null)).toHaveLength(1);
    });

    it('lists the chapters of a book that have drafts', async () => {
      const book = await givenBook(store());
      for (const chapterId of ['ch_A', 'ch_B', 'ch_A']) await addDraft(store(), draftRecord(book.id, chapterId), 50);
      expect([...(await store().drafts.chaptersWithDrafts(book.id))].sort()).toEqual(['ch_A', 'ch_B']);
      expect(await store().drafts.chaptersWithDrafts((await givenBook(store())).id)).toEqual([]);
    });
  });
}
