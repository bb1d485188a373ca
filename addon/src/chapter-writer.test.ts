import { describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import { chapterRangeName, planChapter, planText, textHash } from '../../shared/doc-plan.js';
import { DOC_BLOCK_VECTORS } from '../../shared/test-vectors/doc-blocks.js';
import { createFakeDocumentApp, FakeDocument } from '../test-support/fake-document.js';
import { FakeParagraphBase, FakeText, ParagraphHeading } from '../test-support/fake-elements.js';
import { bodyParagraphs, bodyTexts, placeCursor, seed } from '../test-support/inspect.js';
import { writeChapter, type InsertChapterRequest } from './chapter-writer.js';
import { writtenChapters } from './document-read.js';

const BOOK = 'bk_01JBOOK';
const src = [{ questionId: 'q_1', answerVersion: 1 }];
const para = (text: string): Block => ({ type: 'paragraph', text, sources: src, unsupported: false });
const blocksOf = (name: string): Block[] => [
  para(`${name} opens.`),
  { type: 'heading', level: 2, text: `${name} section` },
  { type: 'list', ordered: false, items: [`${name} one`, `${name} two`], sources: src, unsupported: false },
  { type: 'quote', text: `${name} quoted.`, sources: src, unsupported: false },
];
const chapterTexts = (title: string, name = title) => planChapter(title, blocksOf(name)).map((p) => p.text);

function setup(paragraphs?: Parameters<typeof seed>[1]) {
  const { app, document } = createFakeDocumentApp(new FakeDocument('doc-1', 'My book'));
  if (paragraphs) seed(document, paragraphs);
  const write = (chapterId: string, title: string, more: Partial<InsertChapterRequest> = {}) =>
    writeChapter(app, document, { bookId: BOOK, chapterId, title, blocks: blocksOf(title), tocOrder: ['ch_a', 'ch_b', 'ch_c'], ...more });
  return { app, doc: document, write };
}

describe('the DocumentApp writer (in-memory document)', () => {
  for (const vector of DOC_BLOCK_VECTORS) {
    it(`writes exactly the shared vector's paragraphs, styles, bullets and quotes: ${vector.name}`, () => {
      const { app, doc } = setup();
      const result = writeChapter(app, doc, { bookId: BOOK, chapterId: 'ch_v', title: vector.title, blocks: vector.blocks });
      const written = bodyParagraphs(app, doc);
      expect(written.map(({ listId: _listId, ...p }) => p)).toEqual(vector.expected);
      // Adjacent items of one kind share a list; another run starts another list, as the batchUpdate writer does.
      const runs = vector.expected.map((p, i, all) => (p.bullet ? all.slice(0, i + 1).filter((q, k) => q.bullet && q.bullet !== all[k - 1]?.bullet).length : null));
      written.forEach((a, i) => written.forEach((b, j) => {
        if (a.listId && b.listId) expect(a.listId === b.listId, `items ${i} and ${j}`).toBe(runs[i] === runs[j]);
      }));
      expect(result).toMatchObject({ status: 'written', rangeName: chapterRangeName(BOOK, 'ch_v'), textHash: textHash(planText(vector.expected)), placement: 'end' });
      expect(writtenChapters(app, doc, BOOK).get('ch_v')?.text).toBe(planText(vector.expected));
    });
  }

  it('inserts at the cursor, after the cursor\'s paragraph, leaving the author\'s text as it was', () => {
    const { app, doc, write } = setup(['Intro', ['Part one', 'HEADING1'], 'Closing words']);
    placeCursor(doc, 1, 4);
    const result = write('ch_b', 'Second');
    expect(result.placement).toBe('cursor');
    expect(bodyTexts(doc)).toEqual(['Intro', 'Part one', ...chapterTexts('Second'), 'Closing words']);
    expect(bodyParagraphs(app, doc)[1]).toMatchObject({ text: 'Part one', style: 'HEADING_1' });
    expect(writtenChapters(app, doc, BOOK).get('ch_b')?.span).toEqual({ first: 2, last: 2 + chapterTexts('Second').length - 1 });
  });

  it('fills the empty paragraph the cursor is on, resetting the style it carried', () => {
    const { app, doc, write } = setup(['Intro', '', 'After']);
    const empty = doc.body.getChild(1) as FakeParagraphBase;
    empty.setHeading(ParagraphHeading.HEADING3);
    (empty.editAsText() as FakeText).setItalic(true);
    placeCursor(doc, 1);
    write('ch_a', 'First');
    expect(bodyTexts(doc)).toEqual(['Intro', ...chapterTexts('First'), 'After']);
    expect(bodyParagraphs(app, doc)[1]).toMatchObject({ style: 'HEADING_1', quote: false });
    expect((doc.body.getChild(1) as FakeParagraphBase).editAsText().isItalic()).toBe(false);
  });

  it('uses the end of the selection when there is no cursor', () => {
    const { doc, write } = setup(['One', 'Two', 'Three']);
    doc.setSelection(doc.newRange().addElementsBetween(doc.body.getChild(0).asParagraph().editAsText(), 0, doc.body.getChild(1).asParagraph().editAsText(), 1).build());
    write('ch_a', 'First');
    expect(bodyTexts(doc)).toEqual(['One', 'Two', ...chapterTexts('First'), 'Three']);
  });

  it('inserts at the end when there is no cursor: after the last paragraph, or into a trailing empty one', () => {
    const { doc, write } = setup(['Notes', 'More notes']);
    expect(write('ch_a', 'First').placement).toBe('end');
    expect(bodyTexts(doc)).toEqual(['Notes', 'More notes', ...chapterTexts('First')]);

    const blank = setup();
    blank.write('ch_a', 'First');
    expect(bodyTexts(blank.doc)).toEqual(chapterTexts('First'));
  });

  it('replaces the chapter\'s named range without touching the text around it', () => {
    const { app, doc, write } = setup(['Before', 'After']);
    placeCursor(doc, 0);
    const first = write('ch_a', 'First');
    // The author edits around the chapter, then the chapter is rewritten.
    doc.body.getChild(0).asParagraph().setText('Before, edited');
    doc.body.appendParagraph('Added at the end');
    doc.setCursor(doc.newPosition(doc.body.getChild(doc.body.getNumChildren() - 1), 0));
    const second = write('ch_a', 'First', { blocks: blocksOf('Rewritten'), mode: 'auto', expectedTextHash: first.textHash });
    expect(second).toMatchObject({ status: 'written', placement: 'replaced' });
    expect(bodyTexts(doc)).toEqual(['Before, edited', ...chapterTexts('First', 'Rewritten'), 'After', 'Added at the end']);
    expect(doc.getNamedRanges(chapterRangeName(BOOK, 'ch_a'))).toHaveLength(1);
    expect(writtenChapters(app, doc, BOOK).get('ch_a')?.text).toBe(chapterTexts('First', 'Rewritten').join('\n'));
    expect(second.textHash).toBe(textHash(chapterTexts('First', 'Rewritten').join('\n')));
  });

  it('replaces in place when the cursor is inside the chapter itself', () => {
    const { doc, write } = setup(['Before', 'After']);
    placeCursor(doc, 0);
    const first = write('ch_a', 'First');
    placeCursor(doc, 3, 2);
    expect(write('ch_a', 'First', { blocks: blocksOf('Again'), expectedTextHash: first.textHash }).placement).toBe('replaced');
    expect(bodyTexts(doc)).toEqual(['Before', ...chapterTexts('First', 'Again'), 'After']);
  });

  it('replaces a chapter that ends the document (whose last paragraph cannot be removed)', () => {
    const { doc, write } = setup();
    const first = write('ch_a', 'First');
    write('ch_a', 'First', { blocks: blocksOf('Second take'), expectedTextHash: first.textHash });
    expect(bodyTexts(doc)).toEqual(chapterTexts('First', 'Second take'));
  });

  it('without a recorded hash, replaces a written chapter only with overwrite (it may hold the author\'s edits)', () => {
    const { doc, write } = setup(['Intro']);
    write('ch_a', 'First');
    const before = bodyTexts(doc);
    expect(write('ch_a', 'First', { blocks: blocksOf('New') })).toMatchObject({ status: 'skipped', code: 'DOC_CHAPTER_EDITED' });
    expect(bodyTexts(doc)).toEqual(before);
    expect(write('ch_a', 'First')).toMatchObject({ status: 'written', paragraphs: 0 });
    expect(write('ch_a', 'First', { blocks: blocksOf('New'), overwrite: true })).toMatchObject({ status: 'written', placement: 'replaced' });
    expect(bodyTexts(doc)).toEqual(['Intro', ...chapterTexts('First', 'New')]);
  });

  it('skips a chapter the author edited (DOC_CHAPTER_EDITED with its text) unless overwrite is set', () => {
    const { doc, write } = setup(['Intro']);
    const first = write('ch_a', 'First');
    doc.body.getChild(2).asParagraph().setText('The author rewrote this line.');
    const before = bodyTexts(doc);
    const skipped = write('ch_a', 'First', { blocks: blocksOf('New'), expectedTextHash: first.textHash });
    expect(skipped).toMatchObject({ status: 'skipped', code: 'DOC_CHAPTER_EDITED', textHash: null });
    expect(skipped.currentText).toContain('The author rewrote this line.');
    expect(bodyTexts(doc)).toEqual(before);
    const forced = write('ch_a', 'First', { blocks: blocksOf('New'), expectedTextHash: first.textHash, overwrite: true });
    expect(forced.status).toBe('written');
    expect(bodyTexts(doc)).toEqual(['Intro', ...chapterTexts('First', 'New')]);
  });

  it('places new chapters in TOC order among the chapters already written', () => {
    const { app, doc, write } = setup(['Front matter']);
    expect(write('ch_b', 'Bravo').placement).toBe('end');
    doc.body.appendParagraph('Author notes at the end');
    expect(write('ch_a', 'Alpha').placement).toBe('before');
    expect(write('ch_c', 'Charlie').placement).toBe('after');
    const headings = bodyParagraphs(app, doc).filter((p) => p.style === 'HEADING_1').map((p) => p.text);
    expect(headings).toEqual(['Alpha', 'Bravo', 'Charlie']);
    expect(bodyTexts(doc).at(-1)).toBe('Author notes at the end');
    expect([...writtenChapters(app, doc, BOOK).keys()].sort()).toEqual(['ch_a', 'ch_b', 'ch_c']);
  });

  it('rewrites a written chapter in place wherever the cursor is: never moved, never duplicated', () => {
    const { app, doc, write } = setup(['Intro', 'Body text']);
    const first = write('ch_a', 'First');
    placeCursor(doc, 0);
    expect(write('ch_a', 'First', { blocks: blocksOf('Later'), expectedTextHash: first.textHash }).placement).toBe('replaced');
    expect(bodyTexts(doc)).toEqual(['Intro', 'Body text', ...chapterTexts('First', 'Later')]);
    expect(writtenChapters(app, doc, BOOK).get('ch_a')?.span.first).toBe(2);
  });

  it('never splits another chapter: a cursor inside chapter B writes after B', () => {
    const { app, doc, write } = setup(['Intro']);
    write('ch_b', 'Bravo');
    placeCursor(doc, 2);
    write('ch_c', 'Charlie');
    expect(bodyTexts(doc)).toEqual(['Intro', ...chapterTexts('Bravo'), ...chapterTexts('Charlie')]);
    expect(writtenChapters(app, doc, BOOK).get('ch_b')?.text).toBe(chapterTexts('Bravo').join('\n'));
  });

  it('treats a chapter whose text the author deleted as not written yet', () => {
    const { app, doc, write } = setup(['Intro', 'Outro']);
    placeCursor(doc, 0);
    write('ch_a', 'First');
    for (let i = chapterTexts('First').length; i > 0; i--) doc.body.getChild(1).removeFromParent();
    expect(writtenChapters(app, doc, BOOK).size).toBe(0);
    expect(write('ch_a', 'First', { mode: 'auto', expectedTextHash: 'whatever' }).placement).toBe('end');
    expect(bodyTexts(doc)).toEqual(['Intro', 'Outro', ...chapterTexts('First')]);
  });

  it('writes a section one heading level down', () => {
    const { app, doc } = setup();
    writeChapter(app, doc, { bookId: BOOK, chapterId: 'ch_s', title: 'A section', blocks: [{ type: 'heading', level: 2, text: 'Inner' }], isSection: true });
    expect(bodyParagraphs(app, doc).map((p) => p.style)).toEqual(['HEADING_2', 'HEADING_3']);
  });

  it('keeps other books\' chapters out of its reckoning', () => {
    const { app, doc, write } = setup(['Intro']);
    writeChapter(app, doc, { bookId: 'bk_OTHER', chapterId: 'ch_a', title: 'Other book', blocks: [] });
    write('ch_a', 'First', { mode: 'auto' });
    expect(bodyTexts(doc)).toEqual(['Intro', 'Other book', ...chapterTexts('First')]);
    expect(writtenChapters(app, doc, 'bk_OTHER').get('ch_a')?.text).toBe('Other book');
  });
});
