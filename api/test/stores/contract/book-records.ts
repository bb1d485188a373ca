import { describe, expect, it } from 'vitest';
import type { DocWriteRecord } from '../../../src/stores/engine-types.js';
import { answerInput, draftRecord, noteRecord, proposalRecord, questionRecord, upsertOptions } from './engine-fixtures.js';
import { givenBook, givenUser, time, useStore, type StoreFactory } from './fixtures.js';
import { addDraft } from '../../../src/services/draft-rules.js';
import { putAnswer } from '../../../src/services/answer-rules.js';
import type { Store } from '../../../src/stores/types.js';

function docWriteRecord(bookId: string, chapterId: string, overrides: Partial<DocWriteRecord> = {}): DocWriteRecord {
  return {
    bookId, chapterId, documentId: 'doc-1', tabId: null, rangeName: `aa_${chapterId}`, revisionId: 'rev-1', textHash: 'hash-1', source: 'api',
    writtenAt: time(0), ...overrides,
  };
}

/** One of each engine record of a book. */
async function givenMaterial(store: Store, bookId: string) {
  const question = questionRecord(bookId, 'ch_A');
  await store.questions.swap(bookId, 'ch_A', [question], [], time(0));
  const answered = await putAnswer(store, answerInput(question), upsertOptions(time(1)));
  expect(answered.ok).toBe(true);
  const proposal = proposalRecord(bookId);
  await store.proposals.create(proposal);
  const draft = draftRecord(bookId, `ch_${bookId}`);
  await addDraft(store, draft, 50);
  await store.docWrites.upsert(docWriteRecord(bookId, draft.chapterId));
  await store.continuity.insert([noteRecord(bookId)]);
  await store.continuity.rememberDeletions([{ bookId, subjectKey: 'harbour clinic', subject: 'Harbour Clinic', deletedAt: time(2), note: null }]);
  return { question, proposal, draft };
}

export function bookRecordsContract(open: StoreFactory): void {
  describe('doc writes', () => {
    const store = useStore(open);

    it('keeps the last write of each chapter of a book, listed oldest first', async () => {
      const book = await givenBook(store());
      const first = docWriteRecord(book.id, 'ch_A', { writtenAt: time(5) });
      const second = docWriteRecord(book.id, 'ch_B', { writtenAt: time(6), tabId: 't.1', source: 'addon' });
      await store().docWrites.upsert(first);
      await store().docWrites.upsert(second);
      expect(await store().docWrites.listByBook(book.id)).toEqual([first, second]);
      const rewritten = { ...first, revisionId: 'rev-2', textHash: 'hash-2', writtenAt: time(7) };
      await store().docWrites.upsert(rewritten);
      expect(await store().docWrites.listByBook(book.id)).toEqual([second, rewritten]);
      expect(await store().docWrites.listByBook((await givenBook(store())).id)).toEqual([]);
    });
  });

  describe('engine records of a purged book', () => {
    const store = useStore(open);

    it('go with the book: questions, answers, proposals, drafts, doc writes, continuity notes and deletions; other books keep theirs', async () => {
      const user = await givenUser(store());
      const purged = await givenBook(store(), user.id);
      const kept = await givenBook(store(), user.id);
      const gone = await givenMaterial(store(), purged.id);
      const stays = await givenMaterial(store(), kept.id);
      await store().books.setDeleted(user.id, purged.id, time(0, 2020), time(0, 2020));
      expect(await store().books.purgeDeletedBefore(time(3600, 2020))).toContain(purged.id);

      expect(await store().questions.get(purged.id, gone.question.id)).toBeNull();
      expect(await store().questions.list(purged.id, 'ch_A')).toEqual([]);
      expect(await store().answers.listByQuestions([gone.question.id])).toEqual([]);
      expect(await store().proposals.get(purged.id, gone.proposal.id)).toBeNull();
      expect(await store().drafts.get(gone.draft.chapterId, gone.draft.id)).toBeNull();
      expect(await store().drafts.chaptersWithDrafts(purged.id)).toEqual([]);
      expect(await store().docWrites.listByBook(purged.id)).toEqual([]);
      expect(await store().continuity.list(purged.id)).toEqual([]);
      expect(await store().continuity.listDeletions(purged.id)).toEqual([]);

      expect(await store().questions.list(kept.id, 'ch_A')).toEqual([stays.question]);
      expect(await store().answers.listByQuestions([stays.question.id])).toHaveLength(1);
      expect(await store().proposals.get(kept.id, stays.proposal.id)).toEqual(stays.proposal);
      expect(await store().drafts.get(stays.draft.chapterId, stays.draft.id)).toEqual(stays.draft);
      expect(await store().docWrites.listByBook(kept.id)).toHaveLength(1);
      expect(await store().continuity.list(kept.id)).toHaveLength(1);
      expect(await store().continuity.listDeletions(kept.id)).toHaveLength(1);
    });
  });
}
