// Read-outs and set-ups for tests over the in-memory document.
import type { PlannedParagraph } from '../../shared/doc-plan.js';
import { plannedParagraphOf } from '../src/chapter-operations.js';
import { readParagraph } from '../src/document-read.js';
import type { GasDocumentApp } from '../src/apps-script-slices.js';
import type { FakeDocument } from './fake-document.js';
import { FakeParagraphBase, ParagraphHeading, type FakeElement } from './fake-elements.js';

/** Every body child as the write plan sees it, plus its list id (null for paragraphs). */
export function bodyParagraphs(app: GasDocumentApp, doc: FakeDocument): Array<PlannedParagraph & { listId: string | null }> {
  return doc.body.children.map((child) => {
    const read = readParagraph(app, child as FakeParagraphBase);
    return { ...plannedParagraphOf(read), listId: read.listId };
  });
}

/** The body's paragraph texts. */
export function bodyTexts(doc: FakeDocument): string[] {
  return doc.body.children.map((child) => (child as FakeParagraphBase).getText());
}

/** Replaces the body with author paragraphs: plain strings, or `[text, heading]` pairs. */
export function seed(doc: FakeDocument, paragraphs: Array<string | [string, keyof typeof ParagraphHeading]>): FakeElement[] {
  doc.body.appendParagraph('');
  while (doc.body.children.length > 1) doc.body.children[0]!.removeFromParent();
  const added = paragraphs.map((p, i) => {
    const [text, heading] = typeof p === 'string' ? [p, 'NORMAL' as const] : p;
    const paragraph = i === 0 ? doc.body.children[0]! as FakeParagraphBase : doc.body.appendParagraph(text);
    if (i === 0) paragraph.setText(text);
    paragraph.setHeading(ParagraphHeading[heading]);
    return paragraph;
  });
  return added;
}

/** Puts the cursor in a body child's text (or on the paragraph itself when it is empty). */
export function placeCursor(doc: FakeDocument, childIndex: number, offset = 0) {
  const child = doc.body.getChild(childIndex) as FakeParagraphBase;
  const target = child.getNumChildren() > 0 ? child.getChild(0) : child;
  doc.setCursor(doc.newPosition(target, offset));
}
