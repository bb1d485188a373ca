import { describe, expect, it } from 'vitest';
import type { TocProposal } from '../../schemas/authoring.js';
import type { Toc } from '../../schemas/chapters.js';
import { diffProposal, moveItem, moveWithinLevel, renameItem, tocBody, tocOrder, type TocChapter } from './toc-edit.js';

const item = (id: string, title: string, children: TocChapter['children'] = []): TocChapter =>
  ({ id, title, description: null, status: 'planned', version: 1, children });
const section = (id: string, title: string) => ({ id, title, description: null, status: 'planned' as const, version: 1 });

const chapters = [item('ch_a', 'A', [section('ch_a1', 'A1'), section('ch_a2', 'A2')]), item('ch_b', 'B'), item('ch_c', 'C')];

describe('TOC edits', () => {
  it('moves within a list, clamped', () => {
    expect(moveItem([1, 2, 3], 0, 2)).toEqual([2, 3, 1]);
    expect(moveItem([1, 2, 3], 2, -5)).toEqual([3, 1, 2]);
    expect(moveItem([1, 2, 3], 1, 1)).toEqual([1, 2, 3]);
  });

  it('moves chapters among chapters and sections within their chapter', () => {
    expect(tocOrder(moveWithinLevel(chapters, 'ch_c', 0))).toEqual(['ch_c', 'ch_a', 'ch_a1', 'ch_a2', 'ch_b']);
    expect(tocOrder(moveWithinLevel(chapters, 'ch_a2', 0))).toEqual(['ch_a', 'ch_a2', 'ch_a1', 'ch_b', 'ch_c']);
  });

  it('renames a section and builds a PUT body that names every active item', () => {
    const renamed = renameItem(chapters, 'ch_a1', 'A one');
    expect(tocBody(7, renamed)).toEqual({
      version: 7,
      chapters: [
        { id: 'ch_a', title: 'A', description: null, children: [{ id: 'ch_a1', title: 'A one', description: null }, { id: 'ch_a2', title: 'A2', description: null }] },
        { id: 'ch_b', title: 'B', description: null, children: [] },
        { id: 'ch_c', title: 'C', description: null, children: [] },
      ],
    });
  });

  it('diffs a proposal: new, kept, renamed and left-out chapters', () => {
    const toc = { bookId: 'bk_1', version: 3, chapters, archived: [] } as Toc;
    const proposal = {
      id: 'prop_1', bookId: 'bk_1', basedOnTocVersion: 3, status: 'pending', createdAt: 'x',
      generatedBy: { provider: 'offline', model: 'offline', promptVersion: '1', offline: true },
      chapters: [
        { id: 'ch_b', title: 'B, renamed', description: null, children: [] },
        { id: 'ch_a', title: 'A', description: null, children: [{ id: null, title: 'New section', description: null }] },
        { id: null, title: 'Brand new', description: null, children: [] },
      ],
    } as TocProposal;
    expect(diffProposal(toc, proposal)).toEqual([
      { kind: 'renamed', title: 'B, renamed', from: 'B', section: false },
      { kind: 'kept', title: 'A', from: null, section: false },
      { kind: 'added', title: 'New section', from: null, section: true },
      { kind: 'added', title: 'Brand new', from: null, section: false },
      { kind: 'left-out', title: 'A1', from: null, section: false },
      { kind: 'left-out', title: 'A2', from: null, section: false },
      { kind: 'left-out', title: 'C', from: null, section: false },
    ]);
  });
});
