import { describe, expect, it } from 'vitest';
import { createFakeDocumentApp, FakeDocument } from '../test-support/fake-document.js';
import { placeCursor, seed } from '../test-support/inspect.js';
import { writeChapter } from './chapter-writer.js';
import { documentContext, documentOutline } from './document-context.js';

function setup() {
  const { app, document } = createFakeDocumentApp(new FakeDocument('doc-ctx', 'Memoir draft'));
  seed(document, [['Memoir', 'TITLE'], 'Some notes.', ['Childhood', 'HEADING1'], 'Early years, ünïcode 🚀.', ['Later', 'HEADING2']]);
  document.body.insertListItem(2, 'A list item');
  return { app, doc: document };
}

describe('the document context', () => {
  it('gives the id, title and headings (with the API\'s style names)', () => {
    const { app, doc } = setup();
    const context = documentContext(app, doc, null);
    expect(context).toMatchObject({ documentId: 'doc-ctx', title: 'Memoir draft', tabId: null, cursor: null, selection: null, chapters: [] });
    expect(context.headings).toEqual([
      { text: 'Memoir', style: 'TITLE', paragraphIndex: 0 },
      { text: 'Childhood', style: 'HEADING_1', paragraphIndex: 3 },
      { text: 'Later', style: 'HEADING_2', paragraphIndex: 5 },
    ]);
  });

  it('gives the cursor\'s paragraph and offset, and the written chapter it is in', () => {
    const { app, doc } = setup();
    placeCursor(doc, 4, 5);
    expect(documentContext(app, doc, 'bk_1').cursor).toEqual({ paragraphText: 'Early years, ünïcode 🚀.', offset: 5, chapterId: null });
    const written = writeChapter(app, doc, { bookId: 'bk_1', chapterId: 'ch_1', title: 'Chapter one', blocks: [{ type: 'paragraph', text: 'Text.', sources: [], unsupported: false }], mode: 'auto' });
    placeCursor(doc, doc.body.getNumChildren() - 1, 2);
    const context = documentContext(app, doc, 'bk_1');
    expect(context.cursor).toEqual({ paragraphText: 'Text.', offset: 2, chapterId: 'ch_1' });
    expect(context.chapters).toEqual([{ chapterId: 'ch_1', rangeName: 'auto-author:bk_1:ch_1', textHash: written.textHash }]);
  });

  it('gives the selected text, partial at both ends', () => {
    const { app, doc } = setup();
    const from = doc.body.getChild(1).asParagraph().editAsText();
    const to = doc.body.getChild(2).asListItem().editAsText();
    doc.setSelection(doc.newRange().addElementsBetween(from, 5, to, 5).build());
    expect(documentContext(app, doc, null).selection).toEqual({ text: 'notes.\nA list' });
  });

  it('reads every paragraph as an outline for the import', () => {
    const { app, doc } = setup();
    expect(documentOutline(app, doc)).toEqual({
      documentId: 'doc-ctx',
      paragraphs: [
        { text: 'Memoir', style: 'TITLE' },
        { text: 'Some notes.', style: 'NORMAL_TEXT' },
        { text: 'A list item', style: 'NORMAL_TEXT' },
        { text: 'Childhood', style: 'HEADING_1' },
        { text: 'Early years, ünïcode 🚀.', style: 'NORMAL_TEXT' },
        { text: 'Later', style: 'HEADING_2' },
      ],
    });
  });
});
