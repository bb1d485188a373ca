import { describe, expect, it } from 'vitest';
import { chapterRangeName, planChapter, planText, textHash } from '../../doc-plan.js';
import { DOC_BLOCK_VECTORS } from '../../test-vectors/doc-blocks.js';
import type { HostChapterWrite } from '../panel-host.js';
import { applyPreviewWrite } from './doc-preview.js';

const write = (chapterId: string, title: string): HostChapterWrite => {
  const blocks = DOC_BLOCK_VECTORS[0]!.blocks;
  return { chapterId, title, isSection: false, blocks, paragraphs: planChapter(title, blocks), expectedTextHash: null };
};
const order = ['ch_1', 'ch_2', 'ch_3'];
const request = (chapters: HostChapterWrite[]) => ({ bookId: 'bk_1', documentId: null, tocOrder: order, chapters, overwrite: false, mode: 'auto' as const });

describe('local document preview', () => {
  it('holds exactly the shared write plan and reports what a writer records', () => {
    const { preview, result } = applyPreviewWrite(null, request([write('ch_2', DOC_BLOCK_VECTORS[0]!.title)]));
    expect(preview.chapters[0]!.paragraphs).toEqual(DOC_BLOCK_VECTORS[0]!.expected);
    expect(result.chapters[0]).toMatchObject({
      chapterId: 'ch_2', status: 'written', rangeName: chapterRangeName('bk_1', 'ch_2'), textHash: textHash(planText(DOC_BLOCK_VECTORS[0]!.expected)),
    });
  });

  it('places new chapters in TOC order and rewrites a chapter in place', () => {
    let doc = applyPreviewWrite(null, request([write('ch_3', 'Three')])).preview;
    doc = applyPreviewWrite(doc, request([write('ch_1', 'One')])).preview;
    doc = applyPreviewWrite(doc, request([write('ch_2', 'Two')])).preview;
    expect(doc.chapters.map((c) => c.chapterId)).toEqual(['ch_1', 'ch_2', 'ch_3']);
    doc = applyPreviewWrite(doc, request([write('ch_2', 'Two again')])).preview;
    expect(doc.chapters.map((c) => c.paragraphs[0]!.text)).toEqual(['One', 'Two again', 'Three']);
  });
});
