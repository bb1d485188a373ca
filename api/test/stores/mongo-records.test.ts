import { describe, expect, it } from 'vitest';
import { asStored, fromDoc, storedFields, toDoc } from '../../src/stores/mongodb/collections.js';
import type { DraftRecord } from '../../src/stores/engine-types.js';
import { draftRecord } from './contract/engine-fixtures.js';

// How the MongoDB store shapes a record before the driver sees it: these run without a server (the contract suite
// needs MONGODB_URI), and must keep a record exactly as SQLite reads it back.
describe('MongoDB records as stored', () => {
  it('keeps nested objects as JSON keeps them: an undefined member vanishes instead of becoming null', () => {
    const draft = draftRecord('bk_1', 'ch_1');
    const withGaps = {
      ...draft,
      blocks: [{ type: 'paragraph', text: 'Words.', sources: [], unsupported: false, note: undefined }],
      change: { kind: 'edit', blockIds: ['b1'], instruction: undefined },
    } as unknown as DraftRecord;
    const doc = toDoc(withGaps);
    expect(doc.blocks[0]).not.toHaveProperty('note');
    expect(doc.change).toEqual({ kind: 'edit', blockIds: ['b1'] });
    expect(doc.change).not.toHaveProperty('instruction');
    expect(fromDoc<DraftRecord>(doc)).toEqual(JSON.parse(JSON.stringify(withGaps)));
  });

  it('stores a top-level undefined as null (a column), keeps scalars and null as they are, and `id` as `_id` only', () => {
    const draft = { ...draftRecord('bk_1', 'ch_1'), acceptedAt: undefined } as unknown as DraftRecord;
    const doc = toDoc(draft);
    expect(doc).toMatchObject({ _id: draft.id, acceptedAt: null, basedOnDraftId: null, words: 4, bookId: 'bk_1' });
    expect(doc).not.toHaveProperty('id');
    expect(fromDoc<DraftRecord>(doc)).not.toHaveProperty('_id');
  });

  it('treats patches and single values the same way', () => {
    expect(storedFields({ result: { draftId: 'dr_1', note: undefined }, error: null, progress: 5 })).toEqual({ result: { draftId: 'dr_1' }, error: null, progress: 5 });
    expect(asStored(undefined)).toBeNull();
    expect(asStored('text')).toBe('text');
    expect(asStored([{ a: 1, b: undefined }])).toEqual([{ a: 1 }]);
  });
});
