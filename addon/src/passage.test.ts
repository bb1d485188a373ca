import { describe, expect, it } from 'vitest';
import { createFakeDocumentApp, FakeDocument } from '../test-support/fake-document.js';
import { bodyParagraphs, bodyTexts, seed } from '../test-support/inspect.js';
import { insertPassage, PASSAGE_KEPT_MS, readPassage, releasePassage, type ReadPassage } from './passage.js';
import { newPassageId, passageIdTime } from './passage-request.js';

// Actions on a selection, against the in-memory DocumentApp: the passage is read with a fingerprint, and the result
// replaces exactly that range after the author confirms — or nothing, when the passage changed meanwhile.

const PARAGRAPHS = ['Listening first', 'Before it. Maria asked her nurse what had surprised her. After it.', 'She listened for two minutes.', 'The end.'];

function setup() {
  const { app, document } = createFakeDocumentApp(new FakeDocument('doc-passage', 'Memoir draft'));
  seed(document, [[PARAGRAPHS[0]!, 'HEADING1'], PARAGRAPHS[1]!, PARAGRAPHS[2]!, PARAGRAPHS[3]!]);
  const textAt = (index: number) => document.body.getChild(index).asParagraph().editAsText();
  const select = (from: [number, number], to: [number, number]) =>
    document.setSelection(document.newRange().addElementsBetween(textAt(from[0]), from[1], textAt(to[0]), to[1]).build());
  return { app, doc: document, select };
}

const read = (app: ReturnType<typeof setup>['app'], doc: FakeDocument, id = 'p1') => readPassage(app, doc, id) as ReadPassage;

describe('actions on a selection in the document', () => {
  it('reads the selection with a fingerprint, and a rewrite replaces exactly that range after confirmation', () => {
    const { app, doc, select } = setup();
    const start = PARAGRAPHS[1]!.indexOf('Maria');
    const end = PARAGRAPHS[1]!.indexOf(' After') - 1;
    select([1, start], [1, end]);
    const passage = read(app, doc);
    expect(passage.text).toBe('Maria asked her nurse what had surprised her.');
    expect(passage.textHash).toMatch(/\S/);
    const before = bodyParagraphs(app, doc);
    expect(insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['Maria asked what had surprised her nurse.'], placement: 'replace' }))
      .toEqual({ status: 'replaced' });
    const after = bodyParagraphs(app, doc);
    // Inside the paragraph: the text before and after the range is byte-identical; every other paragraph too.
    expect(after[1]!.text).toBe(`${PARAGRAPHS[1]!.slice(0, start)}Maria asked what had surprised her nurse.${PARAGRAPHS[1]!.slice(end + 1)}`);
    expect([after[0], after[2], after[3]]).toEqual([before[0], before[2], before[3]]);
    // The mark is gone: the passage cannot be inserted twice.
    expect(doc.getNamedRanges()).toEqual([]);
    expect(insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['Again'], placement: 'replace' }).status).toBe('changed');
  });

  it('a passage across paragraphs becomes the result\'s paragraphs, joined to the text around it', () => {
    const { app, doc, select } = setup();
    select([1, PARAGRAPHS[1]!.indexOf('Maria')], [2, 'She listened'.length - 1]);
    const passage = read(app, doc);
    expect(passage.text).toBe('Maria asked her nurse what had surprised her. After it.\nShe listened');
    expect(insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['One.', 'Two.', 'Three'], placement: 'replace' }).status).toBe('replaced');
    expect(bodyTexts(doc)).toEqual([PARAGRAPHS[0], 'Before it. One.', 'Two.', 'Three for two minutes.', 'The end.']);
  });

  it('a selection the author changed before confirming is not replaced, and the panel gets what it holds now', () => {
    const { app, doc, select } = setup();
    select([2, 0], [2, PARAGRAPHS[2]!.length - 1]);
    const passage = read(app, doc);
    // The author edits inside the selected text.
    doc.body.getChild(2).asParagraph().editAsText().setText('She listened for ten minutes.');
    const before = bodyTexts(doc);
    const result = insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['Rewritten.'], placement: 'replace' });
    expect(result).toEqual({ status: 'changed', currentText: 'She listened for ten minutes.' });
    expect(bodyTexts(doc)).toEqual(before);
    expect(doc.getNamedRanges()).toEqual([]);
  });

  it('a deleted selection is not replaced either', () => {
    const { app, doc, select } = setup();
    select([2, 0], [2, PARAGRAPHS[2]!.length - 1]);
    const passage = read(app, doc);
    doc.body.getChild(2).removeFromParent();
    const before = bodyTexts(doc);
    expect(insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['x'], placement: 'replace' })).toEqual({ status: 'changed', currentText: null });
    expect(bodyTexts(doc)).toEqual(before);
  });

  it('continue from here inserts new paragraphs after the passage\'s paragraph, the passage untouched', () => {
    const { app, doc, select } = setup();
    select([1, 0], [1, 9]);
    const passage = read(app, doc);
    expect(insertPassage(app, doc, { passageId: 'p1', textHash: passage.textHash, paragraphs: ['And then.', 'Later.'], placement: 'after' }).status).toBe('inserted');
    expect(bodyTexts(doc)).toEqual([PARAGRAPHS[0], PARAGRAPHS[1], 'And then.', 'Later.', PARAGRAPHS[2], PARAGRAPHS[3]]);
  });

  it('no selection reads as none; a discarded passage leaves no mark', () => {
    const { app, doc, select } = setup();
    expect(readPassage(app, doc, 'p0')).toBeNull();
    select([2, 0], [2, 3]);
    read(app, doc, 'p2');
    expect(doc.getNamedRanges().map((n) => n.getName())).toEqual(['auto-author-passage:p2']);
    releasePassage(doc, 'p2');
    expect(doc.getNamedRanges()).toEqual([]);
    expect(bodyTexts(doc)).toEqual(PARAGRAPHS);
  });

  it('a passage left behind (never inserted nor discarded) loses its mark a day later, when another passage is read', () => {
    const { app, doc, select } = setup();
    const start = Date.UTC(2026, 11, 7, 9);
    const left = newPassageId(start);
    expect(passageIdTime(left)).toBe(start);
    select([2, 0], [2, 3]);
    readPassage(app, doc, left, start);
    // An hour later the left passage may still be inserted: its mark stays.
    const recent = newPassageId(start + 3_600_000);
    readPassage(app, doc, recent, start + 3_600_000);
    expect(doc.getNamedRanges().map((n) => n.getName()).sort()).toEqual([`auto-author-passage:${left}`, `auto-author-passage:${recent}`].sort());
    // A day after it was read, reading another passage removes the left one's mark only.
    const next = newPassageId(start + PASSAGE_KEPT_MS + 1);
    readPassage(app, doc, next, start + PASSAGE_KEPT_MS + 1);
    expect(doc.getNamedRanges().map((n) => n.getName()).sort()).toEqual([`auto-author-passage:${next}`, `auto-author-passage:${recent}`].sort());
    expect(bodyTexts(doc)).toEqual(PARAGRAPHS);
    // Its result can no longer be put in: the author is told the passage changed and selects it again.
    expect(insertPassage(app, doc, { passageId: left, textHash: 'x', paragraphs: ['New.'], placement: 'replace' }).status).toBe('changed');
  });
});
