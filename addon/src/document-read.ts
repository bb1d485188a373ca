import type { ChildSpan } from './chapter-target.js';
import type { GasBody, GasContainer, GasDocument, GasDocumentApp, GasElement, GasListItem, GasNamedRange, GasParagraphLike, GasRange } from './apps-script-slices.js';

/** A chapter of the book found in the document through its named range(s). */
export interface WrittenChapter {
  chapterId: string;
  rangeName: string;
  span: ChildSpan;
  /** The chapter's current text: its paragraphs' covered text joined by newlines. */
  text: string;
  namedRanges: GasNamedRange[];
}

const is = (app: GasDocumentApp, element: GasElement, type: 'PARAGRAPH' | 'LIST_ITEM' | 'TEXT' | 'BODY_SECTION') => element.getType() === app.ElementType[type];

/** Whether an element is a paragraph or a list item (both carry text, heading and indents). */
export function isParagraphLike(app: GasDocumentApp, element: GasElement): element is GasParagraphLike {
  return is(app, element, 'PARAGRAPH') || is(app, element, 'LIST_ITEM');
}

/** Index of the body child that holds an element, or null when it is elsewhere (header, footer, detached). */
export function bodyChildIndex(app: GasDocumentApp, body: GasBody, element: GasElement): number | null {
  let current: GasElement = element;
  for (let parent = current.getParent(); parent; parent = current.getParent()) {
    if (is(app, parent, 'BODY_SECTION')) {
      const index = body.getChildIndex(current);
      return index >= 0 ? index : null;
    }
    current = parent;
  }
  return null;
}

function elementText(app: GasDocumentApp, element: GasElement): string {
  if (is(app, element, 'TEXT')) return element.asText().getText();
  const container = element as Partial<GasContainer>;
  return typeof container.getText === 'function' ? container.getText() : '';
}

/** The text a range covers, by body child: covered parts of each child, children joined by newlines. */
export function rangeCoverage(app: GasDocumentApp, body: GasBody, ranges: GasRange[]): { span: ChildSpan; text: string } | null {
  const parts = new Map<number, string>();
  for (const range of ranges) {
    for (const rangeElement of range.getRangeElements()) {
      const element = rangeElement.getElement();
      const index = bodyChildIndex(app, body, element);
      if (index === null) continue;
      const whole = elementText(app, element);
      const text = rangeElement.isPartial() ? whole.slice(rangeElement.getStartOffset(), rangeElement.getEndOffsetInclusive() + 1) : whole;
      parts.set(index, (parts.get(index) ?? '') + text);
    }
  }
  if (parts.size === 0) return null;
  const indexes = [...parts.keys()].sort((a, b) => a - b);
  return { span: { first: indexes[0]!, last: indexes[indexes.length - 1]! }, text: indexes.map((i) => parts.get(i)).join('\n') };
}

/** The book's chapters present in the document, from the named ranges `auto-author:<bookId>:<chapterId>`. */
export function writtenChapters(app: GasDocumentApp, doc: GasDocument, bookId: string): Map<string, WrittenChapter> {
  const prefix = `auto-author:${bookId}:`;
  const byName = new Map<string, GasNamedRange[]>();
  for (const named of doc.getNamedRanges()) {
    const name = named.getName();
    if (name.startsWith(prefix)) byName.set(name, [...(byName.get(name) ?? []), named]);
  }
  const body = doc.getBody();
  const chapters = new Map<string, WrittenChapter>();
  for (const [rangeName, namedRanges] of byName) {
    const coverage = rangeCoverage(app, body, namedRanges.map((n) => n.getRange()));
    // A named range whose text is gone means "not written yet".
    if (coverage) chapters.set(rangeName.slice(prefix.length), { chapterId: rangeName.slice(prefix.length), rangeName, namedRanges, ...coverage });
  }
  return chapters;
}

/** The body child holding the cursor, else the end of the selection, else null. */
export function cursorChildIndex(app: GasDocumentApp, doc: GasDocument): number | null {
  const body = doc.getBody();
  const cursor = doc.getCursor();
  if (cursor) return bodyChildIndex(app, body, cursor.getElement());
  const elements = doc.getSelection()?.getRangeElements() ?? [];
  const last = elements[elements.length - 1];
  return last ? bodyChildIndex(app, body, last.getElement()) : null;
}

/** What a paragraph looks like to the write plan: text, heading, list glyph, indent and italics. */
export function readParagraph(app: GasDocumentApp, paragraph: GasParagraphLike) {
  const isItem = is(app, paragraph, 'LIST_ITEM');
  const text = paragraph.getText();
  return {
    text,
    heading: String(paragraph.getHeading()),
    glyph: isItem ? String((paragraph as GasListItem).getGlyphType()) : null,
    listId: isItem ? (paragraph as GasListItem).getListId() : null,
    indent: paragraph.getIndentStart(),
    italic: text.length > 0 ? paragraph.editAsText().isItalic() : false,
  };
}
